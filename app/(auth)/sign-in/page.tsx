import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { countUsers } from "@/db/accounts/auth";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentPrincipal } from "@/server/auth/page";
import { safeNextPath } from "@/lib/safe-next-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  await connection(); // reads the database: never prerender
  if ((await countUsers()) === 0) redirect("/setup");
  const { next } = await searchParams;
  // Only same-origin paths, so a crafted link cannot bounce a user to another site after sign-in.
  const target = safeNextPath(next);
  if (await currentPrincipal()) redirect(target);
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={target} />
    </>
  );
}
