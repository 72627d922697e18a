import { NextResponse } from "next/server";
import { authorize, errorResponse, handle, parseId } from "@/server/api";
import { fetchSourceNow } from "@/server/news/sources";

type Context = { params: Promise<{ id: string }> };

/** Fetch now → 200 `{ items, new, candidates }`; a feed that fails answers 502 with its error. */
export async function POST(request: Request, { params }: Context) {
  return handle(async () => {
    await authorize(request, "import");
    const result = await fetchSourceNow(parseId((await params).id, "Source"));
    if (!result.ok) return errorResponse(502, result.error);
    return NextResponse.json({ items: result.items, new: result.new, candidates: result.candidates });
  });
}
