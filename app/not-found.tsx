import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card empty">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. The deal or company may have been removed, or the link mistyped.
      </p>
      <p className="actions" style={{ justifyContent: "center" }}>
        <Link className="button" href="/deals">
          Browse deals
        </Link>
        <Link className="button" href="/companies">
          Browse companies
        </Link>
      </p>
    </div>
  );
}
