import { NextResponse } from "next/server";
import { handle } from "@/server/api";
import { openApiDocument } from "@/server/openapi";

/**
 * Public: the document describes shapes and rules, no data (docs/api.md in the repository says the
 * same), and integrators' tools (code generators, Swagger UI) fetch it without credentials. Every
 * route it lists still checks its caller itself.
 */
export async function GET() {
  return handle(() => NextResponse.json(openApiDocument()));
}
