import { getTechnology, resolveTechnologySlug } from "@/db/directory/technologies";
import { errorResponse, handle } from "@/server/api";
import { atomResponse, feedRequest } from "@/server/feeds";

type Context = { params: Promise<{ file: string }> };

/** `/feeds/technologies/{slug}.atom?key=`: the technology area's deals. */
export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const { name, user } = await feedRequest(request, (await params).file);
    const found = await resolveTechnologySlug(name);
    const area = found && (await getTechnology(found.slug));
    if (!area || !("name" in area)) return errorResponse(404, "Feed not found");
    return await atomResponse(request, user, {
      title: `${area.name} — Partnership Atlas`,
      selfPath: `/feeds/technologies/${found.slug}.atom`,
      pagePath: `/technologies/${found.slug}`,
      filters: { technology: [found.slug] },
    });
  });
}
