import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { countUsers } from "@/db/accounts/auth";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { FormAlert } from "@/components/ui/field";
import { currentPrincipal } from "@/server/auth/page";
import { authConfig } from "@/server/auth/sso-config";
import { ssoErrorMessage } from "@/server/auth/sso";
import { safeNextPath } from "@/lib/safe-next-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; error?: string | string[] }>;
}) {
  await connection(); // reads the database: never prerender
  if ((await countUsers()) === 0) redirect("/setup");
  const { next, error } = await searchParams;
  // Only same-origin paths, so a crafted link cannot bounce a user to another site after sign-in.
  const target = safeNextPath(next);
  if (await currentPrincipal()) redirect(target);
  const { sso, passwordSignIn } = authConfig();
  // The reason a single sign-on came back refused, in words of our own (never the raw parameter).
  const ssoError = ssoErrorMessage(typeof error === "string" ? error : undefined);
  return (
    <>
      <h1>Sign in</h1>
      <FormAlert messages={ssoError ? [ssoError] : undefined} />
      {sso && <SsoSignIn name={sso.name} next={target} />}
      {sso && passwordSignIn && <p className="auth-divider">or with your e-mail and password</p>}
      {passwordSignIn && <SignInForm next={target} />}
    </>
  );
}
