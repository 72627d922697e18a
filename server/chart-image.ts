import "server-only";
import type { DealFilters } from "@/lib/filters";
import type { WidgetName } from "@/lib/widgets";
import type { Principal } from "./auth/principal";

// PLACEHOLDER for the chart-images helper's module (same exports); the lead replaces it on merge.

export type ChartImageRequest = {
  widget: WidgetName;
  filters: DealFilters;
  options?: Record<string, string | undefined>;
  width?: number;
  height?: number;
  scale?: number;
};

/** What the image shows is what `viewer` may see (the same compute functions as the JSON routes). */
export async function renderChartSvg(req: ChartImageRequest, viewer: Principal | null): Promise<string> {
  void viewer;
  const width = req.width ?? 600;
  const height = req.height ?? 300;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><title>${req.widget}</title></svg>`;
}

// A 1×1 transparent PNG.
const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

export async function renderChartPng(req: ChartImageRequest, viewer: Principal | null): Promise<Buffer> {
  void req;
  void viewer;
  return Buffer.from(PIXEL);
}
