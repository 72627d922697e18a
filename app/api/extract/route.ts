import { NextResponse } from "next/server";
import { authorize, handle, invalid, parseOrThrow, readJson } from "@/server/api";
import { draftFromArticle, extractRequest } from "@/server/extract";
import { ArticleFetchError } from "@/server/fetch-article";

/** Drafts a deal from an article (text, HTML or a URL the server fetches). Saves nothing. */
export async function POST(request: Request) {
  return handle(async () => {
    await authorize(request, "editor");
    const input = parseOrThrow(extractRequest, await readJson(request));
    try {
      return NextResponse.json(await draftFromArticle(input));
    } catch (error) {
      if (error instanceof ArticleFetchError) return invalid({ url: [error.message] });
      throw error;
    }
  });
}
