import { resolveCompanySlug } from "@/db/directory/companies";
import { getCompanyBySlug } from "@/db/directory/directory";
import { errorResponse, handle } from "@/server/api";
import { atomResponse, feedRequest } from "@/server/feeds";

type Context = { params: Promise<{ file: string }> };

/** `/feeds/companies/{slug}.atom?key=`: the company's deals; an old slug still finds it. */
export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const { name, user } = await feedRequest(request, (await params).file);
    const found = await resolveCompanySlug(name);
    const company = found && (await getCompanyBySlug(found.slug));
    if (!company) return errorResponse(404, "Feed not found");
    return await atomResponse(request, user, {
      title: `${company.name} — Partnership Atlas`,
      selfPath: `/feeds/companies/${company.slug}.atom`,
      pagePath: `/companies/${company.slug}`,
      filters: { company: [company.slug] },
    });
  });
}
