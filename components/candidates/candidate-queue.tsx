"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useRef, useState, type ReactNode } from "react";
import type { CandidateView } from "@/lib/news/candidate";
import {
  CANDIDATE_KIND_LABELS,
  TYPE_LABELS,
  DISMISS_REASON_LABELS,
  DISMISS_REASONS,
  type DismissReason,
} from "@/lib/enums";
import { formErrors, IDLE, type DecideCandidatesState } from "@/lib/form-state";

export type DecideCandidates = (
  previous: DecideCandidatesState,
  raw: unknown,
) => Promise<DecideCandidatesState>;

const KEYS = "j / k move · a accept · d dismiss · x select";

/** The queue of candidates with their decisions, keyboard-driven (j/k, a, d, x) and with bulk dismiss. */
export function CandidateQueue({
  candidates,
  decide,
}: {
  candidates: CandidateView[];
  decide: DecideCandidates;
}) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(decide, IDLE);
  const [current, setCurrent] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [reasons, setReasons] = useState<Record<number, DismissReason>>({});
  const [bulkReason, setBulkReason] = useState<DismissReason>("not_deal");
  const cards = useRef<(HTMLElement | null)[]>([]);
  const send = (raw: unknown) => startTransition(() => dispatch(raw));
  const reasonOf = (id: number) => reasons[id] ?? "not_deal";
  const decidedNow = new Set(state.status === "decided" ? state.ids : []);
  const visible = candidates.filter((c) => !decidedNow.has(c.id));

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const target = e.target as HTMLElement;
      if (target.closest("input, select, textarea, [contenteditable]")) return;
      const c = visible[current];
      const move = (to: number) => {
        const next = Math.max(0, Math.min(visible.length - 1, to));
        setCurrent(next);
        cards.current[next]?.focus();
      };
      if (e.key === "j") move(current + 1);
      else if (e.key === "k") move(current - 1);
      else if (!c || c.status !== "waiting") return;
      else if (e.key === "a") router.push(`/candidates/${c.id}/accept`);
      else if (e.key === "d") send({ intent: "dismiss", ids: [c.id], reason: reasonOf(c.id) });
      else if (e.key === "x")
        setSelected((s) => {
          const next = new Set(s);
          if (!next.delete(c.id)) next.add(c.id);
          return next;
        });
      else return;
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const errors = formErrors(state);
  const chosen = [...selected].filter((id) => !decidedNow.has(id));
  if (!visible.length)
    return (
      <div className="card empty">
        <p>Nothing here. New candidates appear as the news sources are polled.</p>
      </div>
    );
  return (
    <>
      <p className="muted small">Keyboard: {KEYS}</p>
      <div role="status" aria-live="polite">
        {state.status === "decided" && <p className="alert">{state.message}</p>}
        {Object.values(errors).flat().length > 0 && (
          <p className="alert error">{Object.values(errors).flat().join(" ")}</p>
        )}
      </div>
      {chosen.length > 0 && (
        <div className="card candidate-filters" role="region" aria-label="Selected candidates">
          <span>{chosen.length} selected</span>
          <ReasonSelect label="Reason" value={bulkReason} onChange={setBulkReason} />
          <button
            type="button"
            className="button"
            disabled={pending}
            onClick={() => {
              send({ intent: "dismiss", ids: chosen, reason: bulkReason });
              setSelected(new Set());
            }}
          >
            Dismiss selected
          </button>
        </div>
      )}
      <ol className="plain-list candidate-list">
        {visible.map((c, i) => (
          <li key={c.id}>
            <CandidateCard
              candidate={c}
              current={i === current}
              ref={(el) => {
                cards.current[i] = el;
              }}
              onFocus={() => setCurrent(i)}
              selected={selected.has(c.id)}
              onSelect={(on) =>
                setSelected((s) => {
                  const next = new Set(s);
                  if (on) next.add(c.id);
                  else next.delete(c.id);
                  return next;
                })
              }
              reason={reasonOf(c.id)}
              onReason={(r) => setReasons((all) => ({ ...all, [c.id]: r }))}
              pending={pending}
              send={send}
            />
          </li>
        ))}
      </ol>
    </>
  );
}

function ReasonSelect({
  label,
  value,
  onChange,
}: {
  label: ReactNode;
  value: DismissReason;
  onChange: (r: DismissReason) => void;
}) {
  return (
    <label>
      {label}{" "}
      <select value={value} onChange={(e) => onChange(e.target.value as DismissReason)}>
        {DISMISS_REASONS.map((r) => (
          <option key={r} value={r}>
            {DISMISS_REASON_LABELS[r]}
          </option>
        ))}
      </select>
    </label>
  );
}

function CandidateCard({
  candidate: c,
  current,
  ref,
  onFocus,
  selected,
  onSelect,
  reason,
  onReason,
  pending,
  send,
}: {
  candidate: CandidateView;
  current: boolean;
  ref: (el: HTMLElement | null) => void;
  onFocus: () => void;
  selected: boolean;
  onSelect: (on: boolean) => void;
  reason: DismissReason;
  onReason: (r: DismissReason) => void;
  pending: boolean;
  send: (raw: unknown) => void;
}) {
  const draft = c.draft?.draft;
  const title = draft?.title ?? c.items[0]?.title ?? `Candidate #${c.id}`;
  const headingId = `candidate-${c.id}-h`;
  const waiting = c.status === "waiting";
  return (
    <article
      className="card candidate"
      aria-labelledby={headingId}
      tabIndex={-1}
      ref={ref}
      onFocus={onFocus}
      data-current={current || undefined}
    >
      <div className="candidate-head">
        {waiting && (
          <label className="checkbox">
            <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} />
            <span className="visually-hidden">Select candidate #{c.id}</span>
          </label>
        )}
        <h2 id={headingId} className="candidate-title">
          {title}
        </h2>
      </div>
      <p className="small">
        <span className="badge">{CANDIDATE_KIND_LABELS[c.kind]}</span> Score {c.score}
        {draft?.announcedOn && <> · {draft.announcedOn}</>}
        {draft && draft.types.length > 0 && <> · {draft.types.map((t) => TYPE_LABELS[t]).join(", ")}</>}
      </p>
      {draft && draft.parties.length > 0 && (
        <p>
          <span className="muted">Parties:</span>{" "}
          {draft.parties.map((p) => `${p.company} (${p.role})`).join(", ")}
        </p>
      )}
      <p className="muted">{c.reason}</p>
      {c.draft?.passage && <blockquote className="passage">{c.draft.passage}</blockquote>}
      {c.knownDealId && (
        <p>
          Already known: <Link href={`/deals/${c.knownDealId}`}>deal #{c.knownDealId}</Link>
        </p>
      )}
      <details>
        <summary>
          {c.items.length} source{c.items.length === 1 ? "" : "s"}
        </summary>
        <ul className="plain-list small">
          {c.items.map((item) => (
            <li key={`${item.sourceId}-${item.url ?? item.title}`}>
              {item.url ? (
                <a href={item.url} rel="noreferrer noopener" target="_blank">
                  {item.title}
                </a>
              ) : (
                item.title
              )}{" "}
              <span className="muted">
                — {item.source}
                {item.publishedAt && `, ${item.publishedAt.slice(0, 10)}`}
              </span>
            </li>
          ))}
        </ul>
      </details>
      {waiting ? (
        <div className="candidate-actions">
          {c.kind === "status_change" && c.knownDealId ? (
            <button
              type="button"
              className="button primary"
              disabled={pending}
              onClick={() => send({ intent: "apply", ids: [c.id] })}
            >
              Apply status change{c.draft?.change ? ` (${c.draft.change})` : ""}
            </button>
          ) : (
            draft && (
              <Link className="button primary" href={`/candidates/${c.id}/accept`}>
                Accept
              </Link>
            )
          )}
          {c.knownDealId && (
            <button
              type="button"
              className="button"
              disabled={pending}
              onClick={() => send({ intent: "attach", ids: [c.id], dealId: c.knownDealId })}
            >
              Add to deal #{c.knownDealId}
            </button>
          )}
          <ReasonSelect
            label={<span className="visually-hidden">Reason to dismiss candidate #{c.id}</span>}
            value={reason}
            onChange={onReason}
          />
          <button
            type="button"
            className="button"
            disabled={pending}
            onClick={() => send({ intent: "dismiss", ids: [c.id], reason })}
          >
            Dismiss
          </button>
        </div>
      ) : (
        <p className="small">
          {c.status === "accepted" && c.dealId ? (
            <>
              Accepted into <Link href={`/deals/${c.dealId}`}>deal #{c.dealId}</Link>
            </>
          ) : (
            <>Dismissed{c.dismissReason && `: ${DISMISS_REASON_LABELS[c.dismissReason]}`}</>
          )}
        </p>
      )}
    </article>
  );
}
