"use client";

import { useEffect } from "react";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="card empty" role="alert">
      <h1>Something went wrong</h1>
      <p>The page could not be shown. Nothing you saved was lost.</p>
      {error.digest && <p className="small muted">Reference: {error.digest}</p>}
      <button type="button" className="button primary" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
