import { NextResponse } from "next/server";
import { sendTestEvent } from "@/db/follow/webhooks";
import { authorize, handle, parseId } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

/** **Send test**: queues a test delivery to this endpoint only. */
export async function POST(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor } = await authorize(request, "admin");
    return NextResponse.json(
      { id: await sendTestEvent(parseId((await params).id, "Webhook"), actor) },
      { status: 202 },
    );
  });
}
