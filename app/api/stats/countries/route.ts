import { widgetRoute } from "@/server/widgets";

export const GET = widgetRoute("countries");
