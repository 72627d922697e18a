import type { Metadata } from "next";
import Link from "next/link";
import { userOfUnsubscribeToken } from "@/server/digests";

export const metadata: Metadata = { title: "Unsubscribe from digests" };

// Reached from the link in a digest, signed in or not. Showing it changes nothing (link scanners
// open links); the button does.
export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[]; done?: string }>;
}) {
  const { token, done } = await searchParams;
  if (done)
    return (
      <>
        <h1>Unsubscribed</h1>
        <p role="status">
          You will get no more e-mail digests. You can turn them on again in your digest settings.
        </p>
        <Link href="/settings/digest">Digest settings</Link>
      </>
    );
  const valid = typeof token === "string" && userOfUnsubscribeToken(token) !== null;
  if (!valid)
    return (
      <>
        <h1>Unsubscribe from digests</h1>
        <p className="alert error" role="alert">
          This unsubscribe link is invalid or has expired. Sign in and turn digests off in your digest
          settings.
        </p>
        <Link href="/settings/digest">Digest settings</Link>
      </>
    );
  return (
    <>
      <h1>Unsubscribe from digests</h1>
      <p>Stop the e-mail digests of your watches and views?</p>
      <form method="post" action={`/api/digest/unsubscribe?token=${encodeURIComponent(token)}`}>
        <input type="hidden" name="confirm" value="page" />
        <button type="submit" className="button primary">
          Unsubscribe
        </button>
      </form>
    </>
  );
}
