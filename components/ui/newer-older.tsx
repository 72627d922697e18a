import Link from "next/link";

/** The pager of a newest-first log (activity, audit): how many in all, and links to newer and older pages. */
export function NewerOlder({
  summary,
  page,
  pages,
  href,
}: {
  summary: string;
  page: number;
  pages: number;
  href: (page: number) => string;
}) {
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted">
        {summary} · page {page} of {pages}
      </span>
      <span className="actions">
        {page > 1 && (
          <Link className="button small" href={href(page - 1)}>
            ← Newer
          </Link>
        )}
        {page < pages && (
          <Link className="button small" href={href(page + 1)}>
            Older →
          </Link>
        )}
      </span>
    </nav>
  );
}
