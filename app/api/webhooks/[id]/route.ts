import { deleteWebhook } from "@/db/follow/webhooks";
import { authorize, handle, parseId } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

export async function DELETE(request: Request, { params }: Context) {
  return handle(async () => {
    await authorize(request, "admin");
    await deleteWebhook(parseId((await params).id, "Webhook"));
    return new Response(null, { status: 204 });
  });
}
