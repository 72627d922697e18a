"use client";

import { type FeedKeyState } from "@/lib/form-state";
import { useFormAction } from "@/components/ui/use-form-action";
import { FormAlert } from "@/components/ui/field";

export type FeedLink = { label: string; path: string };

/**
 * The feed key and the feed addresses. The key is stored only as a hash, so it is shown once, right
 * after it is made; until then the addresses show where the key goes.
 */
export function FeedKeyForm({
  replaceKey,
  hasKey,
  origin,
  feeds,
}: {
  replaceKey: (previous: FeedKeyState, raw: unknown) => Promise<FeedKeyState>;
  hasKey: boolean;
  origin: string;
  feeds: FeedLink[];
}) {
  const { state, errors, pending, onSubmit } = useFormAction(replaceKey, () => ({}));
  const key = state.status === "created" ? state.key : null;
  return (
    <>
      <form noValidate onSubmit={onSubmit}>
        {key ? (
          <div className="alert success" role="status">
            <p>
              <strong>New feed key made.</strong> Copy it (or the addresses below) now: it is shown only once
              and stored only as a hash. Addresses with the old key no longer work.
            </p>
            <label htmlFor="feed-key">Feed key</label>
            <input id="feed-key" type="text" readOnly value={key} onFocus={(e) => e.target.select()} />
          </div>
        ) : (
          <p className="muted">
            {hasKey
              ? "You have a feed key. It was shown once when it was made; make a new one if you lost it or it leaked."
              : "You have no feed key yet: make one to read your feeds."}
          </p>
        )}
        <FormAlert messages={errors._form} />
        <button type="submit" className="button" disabled={pending}>
          {hasKey || key ? "Replace feed key" : "Create feed key"}
        </button>
      </form>
      <h2 className="section-gap">Your feeds</h2>
      {feeds.length === 0 ? (
        <p className="muted">Save a view or watch a company or technology area to get its feed here.</p>
      ) : (
        <ul className="view-list">
          {feeds.map((feed) => (
            <li key={feed.path}>
              {feed.label}:{" "}
              {key ? (
                <a
                  href={`${origin}${feed.path}?key=${encodeURIComponent(key)}`}
                >{`${origin}${feed.path}?key=…`}</a>
              ) : (
                <code>{`${origin}${feed.path}?key=<your feed key>`}</code>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
