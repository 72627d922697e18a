import Link from "next/link";
import type { ReactNode } from "react";
import type { MergePreview } from "@/db/types";
import { MergeConfirm } from "./merge-confirm";
import { MergePreviewView } from "./merge-preview";

/**
 * "Merge into another …": choose the survivor, see the preview, confirm. One page for companies and
 * technology areas; what differs is said by the props.
 */
export function MergePage({
  record,
  list,
  heading,
  intro,
  placeholder,
  confirmLabel,
  into,
  preview,
  error,
  merge,
}: {
  record: { name: string; slug: string; href: string };
  list: { label: string; href: string };
  heading: string;
  intro: ReactNode;
  placeholder: string;
  confirmLabel: string;
  into: string;
  preview: MergePreview | null;
  error: string | null;
  merge: Parameters<typeof MergeConfirm>[0]["merge"];
}) {
  return (
    <>
      <div className="crumbs">
        <Link href={list.href}>{list.label}</Link> / <Link href={record.href}>{record.name}</Link> / Merge
      </div>
      <div className="page-head">
        <div>
          <h1>{heading}</h1>
          <p>{intro}</p>
        </div>
      </div>
      <form method="get" className="card" aria-label="Choose the survivor">
        <div className="actions" style={{ alignItems: "flex-end" }}>
          <div className="field" style={{ flex: "1 1 320px" }}>
            <label htmlFor="merge-into">Merge into</label>
            <input
              id="merge-into"
              name="into"
              defaultValue={into}
              placeholder={placeholder}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "merge-into-error" : undefined}
            />
            {error && (
              <div id="merge-into-error" className="field-error">
                {error}
              </div>
            )}
          </div>
          <button type="submit" className="button">
            Preview merge
          </button>
        </div>
      </form>
      {preview && (
        <>
          <MergePreviewView preview={preview} />
          <div className="section-gap">
            <MergeConfirm
              slug={record.slug}
              into={preview.target.slug}
              label={confirmLabel}
              disabled={!preview.canMerge}
              merge={merge}
            />
          </div>
        </>
      )}
    </>
  );
}
