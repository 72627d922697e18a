"use client";

import { useState } from "react";
import type { ShareLink } from "@/db/types";
import { Field, FormAlert, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ShareLinkState } from "@/lib/form-state";
import { plural } from "@/lib/plural";

const when = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

/**
 * A view's read-only share links: how often each was opened, revoking, and making a new one. A new
 * link's address is shown once, right after it is made (only a hash of its token is kept).
 */
export function ShareLinks({
  viewId,
  viewName,
  links,
  createLink,
  deleteLink,
}: {
  viewId: number;
  viewName: string;
  links: ShareLink[];
  createLink: (previous: ShareLinkState, raw: unknown) => Promise<ShareLinkState>;
  deleteLink: (formData: FormData) => Promise<void>;
}) {
  const [expiresOn, setExpiresOn] = useState("");
  const [allowExport, setAllowExport] = useState(false);
  const { state, errors, pending, onSubmit } = useFormAction(createLink, () => ({
    viewId,
    allowExport,
    // The end of the chosen day where the owner is.
    ...(expiresOn && { expiresAt: new Date(`${expiresOn}T23:59:59`).toISOString() }),
  }));
  const idBase = `share-${viewId}`;
  return (
    <details className="share-links">
      <summary>Share links ({links.length})</summary>
      {links.length > 0 && (
        <ul className="plain-list">
          {links.map((link) => (
            <li key={link.id}>
              Made {when(link.createdAt)}
              {link.expiresAt && `, ${link.expired ? "ended" : "ends"} ${when(link.expiresAt)}`}
              {link.allowExport && ", downloads allowed"}: opened {plural(link.openCount, "time")}
              {link.lastOpenedAt && `, last ${when(link.lastOpenedAt)}`}{" "}
              <form action={deleteLink} className="inline-form">
                <input type="hidden" name="viewId" value={viewId} />
                <input type="hidden" name="linkId" value={link.id} />
                <button
                  type="submit"
                  className="button small danger"
                  aria-label={`Revoke the share link of ${viewName} made ${when(link.createdAt)}`}
                >
                  Revoke
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        noValidate
        onSubmit={onSubmit}
        aria-label={`New share link for ${viewName}`}
      >
        <FormAlert messages={[...(errors._form ?? []), ...(errors.view ?? [])]} />
        <TextField
          id={`${idBase}-expires`}
          label="Ends on (optional)"
          type="date"
          value={expiresOn}
          onChange={setExpiresOn}
          errors={errors.expiresAt}
        />
        <Field id={`${idBase}-export`} label="Allow downloads">
          {(control) => (
            <input
              {...control}
              type="checkbox"
              checked={allowExport}
              onChange={(e) => setAllowExport(e.target.checked)}
            />
          )}
        </Field>
        <button type="submit" className="button small" disabled={pending}>
          Make share link
        </button>
      </form>
      {state.status === "created" && (
        <div className="alert success" role="status">
          <p>
            <strong>Share link made.</strong> Copy it now: it is shown only once. Anyone with it sees this
            view, read-only.
          </p>
          <label htmlFor={`${idBase}-url`}>Share link</label>
          <input
            id={`${idBase}-url`}
            type="text"
            readOnly
            value={state.url}
            onFocus={(e) => e.target.select()}
          />
        </div>
      )}
    </details>
  );
}
