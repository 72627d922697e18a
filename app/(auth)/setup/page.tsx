import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { countUsers } from "@/db/accounts/auth";
import { SetupForm } from "@/components/auth/setup-form";
import { createOwnerAction } from "../actions";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  await connection(); // reads the database: never prerender
  if ((await countUsers()) > 0) redirect("/sign-in");
  return (
    <>
      <h1>Welcome</h1>
      <p className="muted">
        Create the owner account. The owner is an admin: they can add the rest of the team and create API
        tokens.
      </p>
      <SetupForm createOwner={createOwnerAction} />
    </>
  );
}
