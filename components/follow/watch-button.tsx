import type { WatchKind } from "@/lib/enums";

/** **Watch** / **Unwatch** for a company, a technology area or a saved view (a plain form). */
export function WatchButton({
  kind,
  id,
  watching,
  label,
  watchAction,
}: {
  kind: WatchKind;
  id: number;
  watching: boolean;
  /** What is watched, for the button's accessible name when several are on one page. */
  label?: string;
  watchAction: (formData: FormData) => Promise<void>;
}) {
  return (
    <form action={watchAction} className="inline-form">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="watch" value={watching ? "false" : "true"} />
      <button
        type="submit"
        className="button"
        aria-label={label ? `${watching ? "Unwatch" : "Watch"} ${label}` : undefined}
      >
        {watching ? "Unwatch" : "Watch"}
      </button>
    </form>
  );
}
