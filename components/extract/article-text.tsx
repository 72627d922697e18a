import type { Evidence } from "@/lib/extract/types";

/** The anchor id of a passage in the article, for the field notes' "show" links. */
export const evidenceAnchor = (path: string) => `evidence-${path.replace(/\./g, "-")}`;

type Span = { path: string; start: number; end: number };

/**
 * The passages to mark, without overlaps (the first wins), and for every field the passage its link
 * should jump to: its own, or the marked one that covers it.
 */
export function markedPassages(text: string, evidence: Evidence) {
  const spans = Object.entries(evidence)
    .filter(([, e]) => e.end > e.start && e.start >= 0 && e.end <= text.length)
    .map(([path, e]) => ({ path, start: e.start, end: e.end }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const marked: Span[] = [];
  const anchorOf: Record<string, string> = {};
  for (const span of spans) {
    const last = marked.at(-1);
    if (last && span.start < last.end) anchorOf[span.path] = evidenceAnchor(last.path);
    else {
      marked.push(span);
      anchorOf[span.path] = evidenceAnchor(span.path);
    }
  }
  return { marked, anchorOf };
}

/**
 * The article as the extractor read it, with every passage a drafted field came from marked, so the
 * analyst can check each value against its source.
 */
export function ArticleText({ text, marked }: { text: string; marked: Span[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const span of marked) {
    parts.push(text.slice(at, span.start));
    parts.push(
      <mark key={span.path} id={evidenceAnchor(span.path)} tabIndex={-1}>
        {text.slice(span.start, span.end)}
      </mark>,
    );
    at = span.end;
  }
  parts.push(text.slice(at));
  return <div className="article-text">{parts}</div>;
}
