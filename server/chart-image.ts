import "server-only";
import path from "node:path";
import { renderAsync } from "@resvg/resvg-js";
// d3-scale and d3-shape: small, maintained, pure functions (scales, stacking, line paths) that need
// no DOM, so the server writes the SVG text itself; rendering Recharts would need a fake browser.
import { scaleBand, scaleLinear, scalePoint } from "d3-scale";
import { line, stack } from "d3-shape";
import type { ZodMiniObject } from "zod/mini";
import { InputError } from "@/db/core/errors";
import { getDb } from "@/db/core/index";
import { currentNames } from "@/db/directory/lookups";
import { filtersInWords, type ChartFigure, type FigureRow, type FigureSeries } from "@/lib/chart-figure";
import { mapLegend, mapShade, MAP_EMPTY, projectWorld, shadeIsDark, worldProjection } from "@/lib/geo/world";
import type { DealFilters } from "@/lib/filters";
import { fieldErrors } from "@/lib/validation";
import { WIDGETS, widgetSearch, type WidgetName, type WidgetOptions } from "@/lib/widgets";
import { chartImageSize } from "./api-params";
import { forPrincipal, type Principal } from "./auth/principal";
import { countFilteredDeals, widgetFigure } from "./widgets";

// A widget's chart as an image: SVG drawn here from the registry's figure (lib/widgets.ts `image`),
// PNG rasterised from that SVG by resvg with a bundled font, so both look the same on every machine.

export type ChartImageRequest = {
  widget: WidgetName; // from lib/widgets.ts, as the stats endpoints name them
  filters: DealFilters; // lib/filters.ts
  options?: Record<string, string | undefined>; // the widget's own options (interval, rankBy, …) as URL strings
  width?: number;
  height?: number;
  scale?: number; // CSS pixels; scale 1–3
};

// Inter from an npm package (TTF, which resvg reads; the @fontsource packages ship only WOFF/WOFF2),
// and Noto Sans KR and SC from the same family of packages for Korean, Chinese and Japanese names
// ("SK텔레콤", "华为", "トヨタ"): Inter has none of those glyphs. resvg parses every font it is
// given at each render (Inter alone 10–30 ms; a Noto font 0.15–0.5 s), so a
// chart gets the Noto fonts only when its text has characters of their scripts.
const fontFile = (family: string, file: string, weight: "400Regular" | "600SemiBold") =>
  path.join(
    /*turbopackIgnore: true*/ process.cwd(),
    "node_modules",
    "@expo-google-fonts",
    family,
    weight,
    `${file}_${weight}.ttf`,
  );
/** The weights the charts draw with: 400, and 600 for titles and figures. */
const weights = (family: string, file: string) => [
  fontFile(family, file, "400Regular"),
  fontFile(family, file, "600SemiBold"),
];
const FONT_FILES = weights("inter", "Inter");
const FONT = "Inter";
// resvg falls back to the first font (in this order) that has a missing character, whatever its
// weight, so a Noto 600 file would never be used: only the 400 ones are given (CJK titles are drawn
// regular), which also halves what each render parses.
/** Hangul (and the Hanja Korean uses, which Noto Sans KR has). */
const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]/u;
const HANGUL_FONTS = [fontFile("noto-sans-kr", "NotoSansKR", "400Regular")];
/**
 * Han ideographs, kana, Bopomofo, CJK punctuation, enclosed and compatibility forms ("㈱", "㍿") and
 * full-width forms: Noto Sans SC has them all.
 */
const HAN_KANA =
  /[\u2E80-\u2FDF\u3000-\u30FF\u3100-\u312F\u31A0-\u31BF\u31F0-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]|[\u{20000}-\u{3134F}]/u;
const HAN_KANA_FONTS = [fontFile("noto-sans-sc", "NotoSansSC", "400Regular")];

/** The font files a chart's SVG needs: Inter, and the Noto fonts of the scripts its text uses. */
export function chartFontFiles(svg: string): string[] {
  return [
    ...FONT_FILES,
    ...(HANGUL.test(svg) ? HANGUL_FONTS : []),
    ...(HAN_KANA.test(svg) ? HAN_KANA_FONTS : []),
  ];
}

const INK = "#1F2937";
const MUTED = "#6B7280";
const GRID = "#E5E7EB";
const PAD = 24;
const PUBLIC_AUDIENCE = { teams: [] };

/**
 * The chart of `req.widget` over `req.filters` as SVG text. It reads the same cached compute functions
 * as the JSON routes, which count live deals only, those `viewer` may see (issue 25): their teams'
 * confidential deals with the public ones; an anonymous share-link visitor (`viewer` null), public
 * deals only. The audience comes from the viewer alone, whatever `req.filters` carries, so no caller
 * draws a share link's chart with its creator's deals. Bad options or sizes throw InputError (a 400
 * with field errors).
 */
export async function renderChartSvg(req: ChartImageRequest, viewer: Principal | null): Promise<string> {
  const { width, height } = parseSize(req);
  const options = parseOptions(req.widget, req.options);
  const db = getDb();
  const f = viewer ? await forPrincipal(req.filters, viewer) : { ...req.filters, audience: PUBLIC_AUDIENCE };
  const [figure, deals, company, partner, technology] = await Promise.all([
    widgetFigure(req.widget, f, options),
    countFilteredDeals(f),
    // Pages filter by slug (a company page's "sk-telecom"); the subtitle says the names.
    currentNames(db, "company", f.company),
    currentNames(db, "company", f.partner),
    currentNames(db, "technology", f.technology),
  ]);
  const subtitle = filtersInWords({ ...f, company, partner, technology });
  const query = widgetSearch(req.widget, f, options);
  const source = [
    "Partnership Atlas",
    `${deals.toLocaleString("en")} ${deals === 1 ? "deal" : "deals"}`,
    query ? query.slice(1) : "all deals",
    new Date().toISOString().slice(0, 10),
  ].join(" · ");
  return drawFigure(figure, { width, height, subtitle, source });
}

/** The same chart as PNG, `scale` times the CSS size (up to 3, for slides). */
export async function renderChartPng(req: ChartImageRequest, viewer: Principal | null): Promise<Buffer> {
  const { scale } = parseSize(req);
  const svg = await renderChartSvg(req, viewer);
  // renderAsync rasterises on libuv's thread pool, so a large PNG does not stall other requests.
  const image = await renderAsync(svg, {
    fitTo: { mode: "zoom", value: scale },
    // Only the bundled fonts: system fonts differ between machines and would change the pixels.
    font: { loadSystemFonts: false, fontFiles: chartFontFiles(svg), defaultFontFamily: FONT },
  });
  return image.asPng();
}

function parseSize(req: ChartImageRequest) {
  const parsed = chartImageSize.safeParse({ width: req.width, height: req.height, scale: req.scale });
  if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
  return parsed.data;
}

/** The widget's options by their route names (by=partners) or their page URL names (rankBy=partners). */
function parseOptions<N extends WidgetName>(name: N, raw: ChartImageRequest["options"]): WidgetOptions<N> {
  const def: { options: ZodMiniObject; fromUrl?: (get: (key: string) => string | undefined) => object } =
    WIDGETS[name];
  const fromPage = def.fromUrl?.((key) => raw?.[key]) ?? {};
  const given = Object.fromEntries(
    Object.entries({ ...fromPage, ...raw }).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = def.options.safeParse(given);
  if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
  return parsed.data as WidgetOptions<N>;
}

// ---- drawing ---------------------------------------------------------------------------------

type Frame = { width: number; height: number; subtitle: string; source: string };
type Box = { left: number; top: number; right: number; bottom: number };

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (n: number) => n.toLocaleString("en");
/** Characters drawn a full em wide: Hangul, Han, kana, Bopomofo, CJK symbols and full-width forms. */
const WIDE =
  /[\u1100-\u11FF\u2E80-\u30FF\u3100-\u312F\u3130-\u318F\u31A0-\u31BF\u31F0-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7FF\uF900-\uFAFF\uFF00-\uFF60\u{20000}-\u{3134F}]/u;
/** In ems: Inter's average advance is a little over half an em; CJK characters are a whole em. */
const ems = (ch: string) => (WIDE.test(ch) ? 1 : 0.56);
/** Enough to keep labels inside their room. */
const textWidth = (s: string, size: number) => [...s].reduce((w, ch) => w + ems(ch), 0) * size;
function fit(s: string, size: number, room: number): string {
  if (textWidth(s, size) <= room) return s;
  const chars = [...s];
  let width = ems("…") * size; // room for the ellipsis
  let keep = 0;
  while (keep < chars.length - 1 && width + ems(chars[keep]!) * size <= room)
    width += ems(chars[keep++]!) * size;
  return `${chars.slice(0, Math.max(1, keep)).join("").trimEnd()}…`;
}
const r1 = (n: number) => Math.round(n * 10) / 10;

function text(
  x: number,
  y: number,
  s: string,
  a: { size?: number; fill?: string; anchor?: string; weight?: number; extra?: string } = {},
) {
  return `<text x="${r1(x)}" y="${r1(y)}" font-size="${a.size ?? 12}" fill="${a.fill ?? INK}"${a.anchor ? ` text-anchor="${a.anchor}"` : ""}${a.weight ? ` font-weight="${a.weight}"` : ""}${a.extra ?? ""}>${esc(s)}</text>`;
}

/** One drawn value: its numbers in data attributes and a <title>, so a reader (or a test) can check it. */
function mark(shape: string, label: string, series: FigureSeries | null, value: number) {
  const name = series ? `${label} · ${series.label}` : label;
  return `<${shape} data-label="${esc(label)}"${series ? ` data-series="${esc(series.key)}"` : ""} data-value="${value}"><title>${esc(`${name}: ${num(value)}`)}</title></${shape.split(" ")[0]}>`;
}

function legend(
  series: FigureSeries[],
  x0: number,
  y0: number,
  right: number,
): { svg: string; bottom: number } {
  const parts: string[] = [];
  let x = x0;
  let y = y0;
  for (const s of series) {
    const label = fit(s.label, 12, right - x0 - 18);
    const w = 18 + textWidth(label, 12) + 16;
    if (x > x0 && x + w > right) {
      x = x0;
      y += 18;
    }
    parts.push(
      `<g data-legend="${esc(s.key)}"><rect x="${r1(x)}" y="${r1(y - 10)}" width="12" height="12" rx="2" fill="${s.color}"/>${text(x + 18, y, label, { fill: MUTED })}</g>`,
    );
    x += w;
  }
  return { svg: parts.join(""), bottom: y + 8 };
}

function drawFigure(figure: ChartFigure, frame: Frame): string {
  const { width, height } = frame;
  const room = width - 2 * PAD;
  const head = [
    text(PAD, PAD + 14, fit(figure.title, 20, room), { size: 20, weight: 600 }),
    text(PAD, PAD + 38, fit(frame.subtitle, 13, room), { size: 13, fill: MUTED }),
  ];
  let top = PAD + 56;
  if ("series" in figure && figure.series.length) {
    const l = legend(figure.series, PAD, top + 10, width - PAD);
    head.push(l.svg);
    top = l.bottom + 14;
  }
  // A small image with a long legend still gets a plot, overlapping the source line if it must.
  const box: Box = { left: PAD, top, right: width - PAD, bottom: Math.max(height - PAD - 24, top + 60) };
  const nothing = text(
    (box.left + box.right) / 2,
    (box.top + box.bottom) / 2,
    "No deals match these filters.",
    {
      anchor: "middle",
      fill: MUTED,
      size: 14,
    },
  );
  const body =
    figure.kind === "figures"
      ? drawFigures(figure.items, box)
      : figure.kind === "map"
        ? figure.items.length
          ? drawMap(figure.items, figure.axis, figure.note ?? "", box)
          : nothing
        : !figure.rows.length
          ? nothing
          : figure.kind === "heatmap"
            ? drawHeatmap(figure.columns, figure.rows, figure.axis, box)
            : figure.kind === "bars"
              ? drawBars(figure.series, figure.rows, figure.axis, box)
              : drawOverTime(figure.kind, figure.series, figure.rows, figure.axis, box);
  const foot = text(PAD, height - PAD + 4, fit(frame.source, 11, room), { size: 11, fill: MUTED });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}, sans-serif" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${esc(figure.title)}</title>`,
    `<desc id="chart-desc">${esc(`${frame.subtitle}. ${frame.source}`)}</desc>`,
    `<rect width="100%" height="100%" fill="#FFFFFF"/>`,
    ...head,
    body,
    foot,
    "</svg>",
  ].join("\n");
}

function drawFigures(items: { label: string; value: number; text: string }[], box: Box): string {
  const columns = 3;
  const rows = Math.ceil(items.length / columns);
  const cellW = (box.right - box.left) / columns;
  const cellH = Math.min(110, (box.bottom - box.top) / rows);
  return items
    .map((item, i) => {
      const x = box.left + (i % columns) * cellW;
      const y = box.top + Math.floor(i / columns) * cellH;
      return `<g data-label="${esc(item.label)}" data-value="${item.value}"><title>${esc(`${item.label}: ${item.text}`)}</title>${text(x, y + 40, item.text, { size: 34, weight: 600 })}${text(x, y + 64, fit(item.label, 13, cellW - 12), { size: 13, fill: MUTED })}</g>`;
    })
    .join("\n");
}

function valueTicks(max: number, from: number, to: number, horizontal: boolean, box: Box) {
  const scale = scaleLinear()
    .domain([0, Math.max(1, max)])
    .nice()
    .range([from, to]);
  const ticks = scale.ticks(5).filter(Number.isInteger);
  const grid = ticks.map((t) => {
    const p = r1(scale(t));
    return horizontal
      ? `<line x1="${p}" x2="${p}" y1="${box.top}" y2="${box.bottom}" stroke="${GRID}"/>${text(p, box.bottom + 14, num(t), { anchor: "middle", fill: MUTED, size: 11 })}`
      : `<line x1="${box.left}" x2="${box.right}" y1="${p}" y2="${p}" stroke="${GRID}"/>${text(box.left - 6, p + 4, num(t), { anchor: "end", fill: MUTED, size: 11 })}`;
  });
  return { scale, grid: grid.join("") };
}

/** Horizontal bars, one band per row, series side by side within it. */
function drawBars(series: FigureSeries[], rows: FigureRow[], axis: string, outer: Box): string {
  const labelRoom = Math.min(
    (outer.right - outer.left) * 0.4,
    Math.max(...rows.map((r) => textWidth(r.label, 12))) + 10,
  );
  const box = { ...outer, left: outer.left + labelRoom, right: outer.right - 40, bottom: outer.bottom - 18 };
  const max = Math.max(...rows.flatMap((r) => r.values));
  const { scale: x, grid } = valueTicks(max, box.left, box.right, true, box);
  const band = scaleBand()
    .domain(rows.map((_, i) => String(i)))
    .range([box.top, box.bottom])
    .padding(0.2);
  const inner = scaleBand()
    .domain(series.map((s) => s.key))
    .range([0, band.bandwidth()]);
  const bars = rows.map((row, i) => {
    const y0 = band(String(i))!;
    const label = text(box.left - 8, y0 + band.bandwidth() / 2 + 4, fit(row.label, 12, labelRoom - 10), {
      anchor: "end",
    });
    const marks = series.map((s, j) => {
      const v = row.values[j] ?? 0;
      const y = y0 + inner(s.key)!;
      const w = Math.max(0, x(v) - box.left);
      const h = Math.max(1, inner.bandwidth());
      const fill = row.color ?? s.color;
      const shape = `rect x="${r1(box.left)}" y="${r1(y)}" width="${r1(w)}" height="${r1(h)}" fill="${fill}"`;
      const valueText =
        h >= 9 ? text(box.left + w + 4, y + h / 2 + 4, num(v), { size: Math.min(11, h), fill: MUTED }) : "";
      return mark(shape, row.label, series.length > 1 ? s : null, v) + valueText;
    });
    return `<g>${label}${marks.join("")}</g>`;
  });
  const axisLabel = text((box.left + box.right) / 2, outer.bottom + 12, axis, {
    anchor: "middle",
    fill: MUTED,
    size: 11,
  });
  return grid + bars.join("\n") + axisLabel;
}

/** Periods along x: columns stacked by series, or one line per series. */
function drawOverTime(
  kind: "stacked-columns" | "lines",
  series: FigureSeries[],
  rows: FigureRow[],
  axis: string,
  outer: Box,
): string {
  const box = { ...outer, left: outer.left + 44, bottom: outer.bottom - 18 };
  const table = rows.map((r) => Object.fromEntries(series.map((s, j) => [s.key, r.values[j] ?? 0])));
  const max =
    kind === "stacked-columns"
      ? Math.max(...rows.map((r) => r.values.reduce((a, b) => a + b, 0)))
      : Math.max(...rows.flatMap((r) => r.values));
  const { scale: y, grid } = valueTicks(max, box.bottom, box.top, false, box);
  // Label every k-th period, as many as fit side by side.
  const labelW = Math.max(...rows.map((r) => textWidth(r.label, 11))) + 8;
  const every = Math.max(1, Math.ceil((rows.length * labelW) / (box.right - box.left)));
  const parts: string[] = [grid];
  let center: (i: number) => number;
  if (kind === "stacked-columns") {
    const x = scaleBand()
      .domain(rows.map((_, i) => String(i)))
      .range([box.left, box.right])
      .padding(0.15);
    center = (i) => x(String(i))! + x.bandwidth() / 2;
    const layers = stack<Record<string, number>>().keys(series.map((s) => s.key))(table);
    layers.forEach((layer, j) => {
      const s = series[j]!;
      layer.forEach(([y0, y1], i) => {
        const v = y1 - y0;
        if (!v) return;
        const shape = `rect x="${r1(x(String(i))!)}" y="${r1(y(y1))}" width="${r1(x.bandwidth())}" height="${r1(y(y0) - y(y1))}" fill="${s.color}"`;
        parts.push(mark(shape, rows[i]!.label, s, v));
      });
    });
  } else {
    const x = scalePoint()
      .domain(rows.map((_, i) => String(i)))
      .range([box.left + 6, box.right - 6]);
    center = (i) => x(String(i))!;
    series.forEach((s, j) => {
      const path = line<number>()
        .x((_, i) => center(i))
        .y((v) => y(v))(rows.map((r) => r.values[j] ?? 0));
      parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
      rows.forEach((r, i) => {
        const v = r.values[j] ?? 0;
        const shape = `circle cx="${r1(center(i))}" cy="${r1(y(v))}" r="2.5" fill="${s.color}"`;
        parts.push(mark(shape, r.label, s, v));
      });
    });
  }
  rows.forEach((r, i) => {
    if (i % every === 0)
      parts.push(text(center(i), box.bottom + 14, r.label, { anchor: "middle", fill: MUTED, size: 11 }));
  });
  const mid = (box.top + box.bottom) / 2;
  parts.push(
    text(outer.left + 8, mid, fit(axis, 11, box.bottom - box.top), {
      anchor: "middle",
      fill: MUTED,
      size: 11,
      extra: ` transform="rotate(-90 ${r1(outer.left + 8)} ${r1(mid)})"`,
    }),
  );
  return parts.join("\n");
}

/** The shade steps of a map or heat map: "Deals: ■ 1–4 ■ 5–8 …". */
function shadeLegend(axis: string, max: number, x0: number, y: number): string {
  const parts = [text(x0, y, `${axis}:`, { fill: MUTED, size: 11 })];
  let x = x0 + textWidth(`${axis}:`, 11) + 8;
  for (const step of mapLegend(max)) {
    parts.push(
      `<rect x="${r1(x)}" y="${r1(y - 9)}" width="12" height="12" fill="${step.color}"/>`,
      text(x + 16, y + 1, step.label, { fill: MUTED, size: 11 }),
    );
    x += 16 + textWidth(step.label, 11) + 12;
  }
  return parts.join("");
}

/**
 * A world choropleth (lib/geo/world.ts): every country grey, then each counted country in its shade,
 * in the answer's order — a shape, a dot for a small country, or a line of text for one off the map.
 */
function drawMap(
  items: { code: string; label: string; value: number }[],
  axis: string,
  note: string,
  box: Box,
) {
  const offMap: typeof items = [];
  const max = Math.max(...items.map((i) => i.value));
  const mapBox = { ...box, bottom: box.bottom - 44 };
  const projection = worldProjection(
    mapBox.left,
    mapBox.top,
    mapBox.right - mapBox.left,
    mapBox.bottom - mapBox.top,
  );
  const { shapes, dots } = projectWorld(projection);
  const counted = new Set(items.map((i) => i.code));
  const parts = shapes
    .filter((s) => !counted.has(s.code))
    .map((s) => `<path d="${s.d}" fill="${MAP_EMPTY}" stroke="#FFFFFF" stroke-width="0.5"/>`);
  const shapeOf = new Map(shapes.map((s) => [s.code, s.d]));
  const dotOf = new Map(dots.map((d) => [d.code, d]));
  let offY = mapBox.bottom + 16;
  for (const item of items) {
    const fill = mapShade(item.value, max);
    const d = shapeOf.get(item.code);
    const dot = dotOf.get(item.code);
    if (d)
      parts.push(
        mark(
          `path d="${d}" fill="${fill}" stroke="#FFFFFF" stroke-width="0.5"`,
          item.label,
          null,
          item.value,
        ),
      );
    else if (dot)
      parts.push(
        mark(
          `circle cx="${r1(dot.x)}" cy="${r1(dot.y)}" r="3.5" fill="${fill}" stroke="${INK}" stroke-width="0.75"`,
          item.label,
          null,
          item.value,
        ),
      );
    else offMap.push(item);
  }
  // Countries with no place on the map (a few territories) are still counted, in words.
  if (offMap.length) {
    const words = offMap.map((i) => `${i.label}: ${num(i.value)}`).join(" · ");
    parts.push(
      `<text x="${r1(box.left)}" y="${r1(offY)}" font-size="11" fill="${MUTED}">${esc(fit(`Not on the map: ${words}`, 11, box.right - box.left))}</text>`,
    );
    for (const i of offMap) parts.push(`<g data-label="${esc(i.label)}" data-value="${i.value}"/>`);
    offY += 14;
  }
  parts.push(shadeLegend(axis, max, box.left, offY + 6));
  parts.push(text(box.left, offY + 24, fit(note, 11, box.right - box.left), { fill: MUTED, size: 11 }));
  return parts.join("\n");
}

/** A heat map: rows down, columns along (labels slanted above), each cell shaded by its count. */
function drawHeatmap(columns: string[], rows: FigureRow[], axis: string, outer: Box): string {
  const labelRoom = Math.min(
    (outer.right - outer.left) * 0.35,
    Math.max(...rows.map((r) => textWidth(r.label, 11))) + 10,
  );
  const head = 90;
  const box = {
    left: outer.left + labelRoom,
    top: outer.top + head,
    right: outer.right,
    bottom: outer.bottom - 24,
  };
  const max = Math.max(...rows.flatMap((r) => r.values));
  const x = scaleBand()
    .domain(columns.map((_, i) => String(i)))
    .range([box.left, box.right])
    .padding(0.04);
  const y = scaleBand()
    .domain(rows.map((_, i) => String(i)))
    .range([box.top, box.bottom])
    .padding(0.04);
  const parts: string[] = [];
  columns.forEach((c, j) => {
    const cx = x(String(j))! + x.bandwidth() / 2;
    parts.push(
      text(cx, box.top - 6, fit(c, 11, head / 0.8), {
        size: 11,
        extra: ` transform="rotate(-40 ${r1(cx)} ${r1(box.top - 6)})"`,
      }),
    );
  });
  rows.forEach((row, i) => {
    const y0 = y(String(i))!;
    parts.push(
      text(box.left - 6, y0 + y.bandwidth() / 2 + 4, fit(row.label, 11, labelRoom - 10), {
        anchor: "end",
        size: 11,
      }),
    );
    columns.forEach((c, j) => {
      const v = row.values[j] ?? 0;
      const x0 = x(String(j))!;
      const fill = mapShade(v, max);
      const shape = `rect x="${r1(x0)}" y="${r1(y0)}" width="${r1(x.bandwidth())}" height="${r1(y.bandwidth())}" fill="${fill}"`;
      parts.push(mark(shape, row.label, { key: c, label: c, color: fill }, v));
      if (v && y.bandwidth() >= 12 && x.bandwidth() >= textWidth(num(v), 10) + 4)
        parts.push(
          text(x0 + x.bandwidth() / 2, y0 + y.bandwidth() / 2 + 4, num(v), {
            anchor: "middle",
            size: 10,
            fill: shadeIsDark(fill) ? "#FFFFFF" : INK,
          }),
        );
    });
  });
  parts.push(shadeLegend(axis, max, box.left, outer.bottom + 2));
  return parts.join("\n");
}
