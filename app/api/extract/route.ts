import { NextResponse } from "next/server";
import { authorize, errorResponse, handle, parseOrThrow, readJson } from "@/server/api";
import { draftFromArticle, extractFailure, extractRequest } from "@/server/extract";

/**
 * Drafts a deal from an article (text, HTML or a URL the server fetches). Saves nothing. A page too
 * deep or too large to read, or one that takes too long, is a 4xx; so is a second draft of the same
 * caller while the first is under way (429 with Retry-After).
 */
export async function POST(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "deals:write");
    const input = parseOrThrow(extractRequest, await readJson(request));
    try {
      return NextResponse.json(
        await draftFromArticle(input, `${principal.kind}:${principal.id}`, principal.viewer),
      );
    } catch (error) {
      const failure = extractFailure(error);
      if (!failure) throw error;
      const response = errorResponse(failure.status, failure.error, failure.fieldErrors);
      if (failure.retryAfterSeconds) response.headers.set("Retry-After", String(failure.retryAfterSeconds));
      return response;
    }
  });
}
