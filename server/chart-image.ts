import "server-only";
import type { DealFilters } from "@/lib/filters";
import type { WidgetName } from "@/lib/widgets";
import type { Principal } from "@/server/auth/principal";

// PLACEHOLDER for the chart-images helper's module (same exports and signatures); the lead replaces
// it on merge. It draws no chart, only a labelled frame, so features can link to images meanwhile.

export type ChartImageRequest = {
  widget: WidgetName;
  filters: DealFilters;
  options?: Record<string, string | undefined>;
  width?: number;
  height?: number;
  scale?: number;
};

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the image shows is what `viewer` may see (the same compute functions as the JSON routes). */
export async function renderChartSvg(req: ChartImageRequest, viewer: Principal | null): Promise<string> {
  void viewer;
  const width = req.width ?? 640;
  const height = req.height ?? 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img"><title>${escapeXml(req.widget)}</title><rect width="100%" height="100%" fill="#fff" stroke="#ccc"/><text x="16" y="32">${escapeXml(req.widget)}</text></svg>`;
}

// A 1×1 transparent PNG.
const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

export async function renderChartPng(req: ChartImageRequest, viewer: Principal | null): Promise<Buffer> {
  void req;
  void viewer;
  return PIXEL;
}
