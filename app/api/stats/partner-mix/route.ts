import { widgetRoute } from "@/server/widgets";

export const GET = widgetRoute("partner-mix");
