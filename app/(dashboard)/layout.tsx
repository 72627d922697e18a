import { connection } from "next/server";

// Every page here reads the live database: render per request, never at build time.
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return children;
}
