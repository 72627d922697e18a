import { widgetRoute } from "@/server/widgets";

export const GET = widgetRoute("technologies-over-time");
