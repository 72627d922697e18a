import { getView } from "@/db/follow/views";
import { parseViewPath } from "@/lib/saved-views";
import { errorResponse, handle } from "@/server/api";
import { atomResponse, feedRequest } from "@/server/feeds";

type Context = { params: Promise<{ file: string }> };

/** `/feeds/views/{id}.atom?key=`: a view the key's user may see (their own or a shared one). */
export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const { name, user } = await feedRequest(request, (await params).file);
    const view = /^\d{1,15}$/.test(name) ? await getView(Number(name), user.id) : undefined;
    const parsed = view && parseViewPath(view.path);
    if (!view || !parsed?.success) return errorResponse(404, "Feed not found");
    return await atomResponse(request, user, {
      title: `${view.name} — Partnership Atlas`,
      selfPath: `/feeds/views/${view.id}.atom`,
      pagePath: view.path,
      filters: parsed.view.filters,
    });
  });
}
