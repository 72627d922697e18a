import * as chrono from "chrono-node";
import type { DatePrecision } from "@/lib/enums";
import { DATE_ONLY, type Block, type Sentence } from "./text";

export interface FoundDate {
  date: string;
  precision: DatePrecision;
  start: number;
  end: number;
  confidence: number;
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const toUtc = (date: string) => new Date(`${date}T12:00:00Z`);

/** "SEOUL, May 14 (Yonhap) --", "LONDON, Feb 11, 2011 —", "(Reuters) -", "ATLANTA (Sept 26, 2019) -". */
export const DATELINE =
  /^(?:[\p{Lu}][\p{Lu}\p{L}\d.,'/ ]{1,80}?|\([A-Za-z ]+\))\s*(?:\([\p{L}\d., ]+\)\s*)?(?:—|–|-{1,3})\s+(?:\p{Lu}\p{L}+\.? \d{1,2},? \d{4}\s*(?:—|–|-{1,3})\s+)?/u;
/** Business Wire's form, dashes without spaces: "VEVEY, Switzerland & SEATTLE--(BUSINESS WIRE)--May 7, 2018--". */
const WIRE_DATELINE =
  /^[\p{Lu}][\p{Lu}\p{L}\d.,'&/ ]{1,80}?\s*(?:—|–|-{1,3})\s*\([\p{Lu}\d ]{2,30}\)\s*(?:—|–|-{1,3})\s*(?:\p{Lu}\p{L}+\.? \d{1,2},? \d{4}\s*(?:—|–|-{1,3})\s*)?/u;

/** A place and a date closed by a full stop: "Munich, 9 July 2020. The BMW Group has …". */
const DOTTED_DATELINE =
  /^\p{Lu}[\p{L}.' /-]{1,40},\s+(?:\d{1,2}\s+\p{Lu}\p{L}+\.?\s+\d{4}|\p{Lu}\p{L}+\.?\s+\d{1,2},?\s+\d{4})[.:](?:\s+|$)/u;

/** The dateline at the start of the first body paragraph, if any (its length, 0 when none). */
export function datelineLength(text: string): number {
  const m = DATELINE.exec(text) ?? WIRE_DATELINE.exec(text) ?? DOTTED_DATELINE.exec(text);
  if (!m) return 0;
  const head = m[0];
  // A dateline names places and dates, not a clause: no lowercase word longer than a preposition.
  // Letters outside ASCII are letters too: "Hørsholm" is one word, not "sholm".
  const lower = head.match(/(?<![\p{L}])\p{Ll}{4,}(?![\p{L}])/gu) ?? [];
  return lower.length ? 0 : head.length;
}

const MONTHISH =
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\d\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4}/i;

/** A day the article states outright: full date (or day and month, with the year of `reference`). */
function parseDay(
  text: string,
  reference: string | null,
): { date: string; precision: DatePrecision; index: number; length: number } | null {
  // "16.11.2016": a dotted numeric date is day first wherever it is written (European wires).
  const dotted = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])/.exec(text);
  if (dotted) {
    const [d, mo, y] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31)
      return { date: iso(y, mo, d), precision: "day", index: dotted.index, length: dotted[0].length };
  }
  // chrono is the slow part of a draft; a text without a month name or a numeric date has nothing for it.
  if (!MONTHISH.test(text)) return null;
  const ref = reference ? toUtc(reference) : new Date(Date.UTC(2000, 0, 1));
  for (const r of chrono.parse(text, { instant: ref, timezone: 0 }, { forwardDate: false })) {
    const s = r.start;
    if (!s.isCertain("month")) continue;
    if (!s.isCertain("year") && !reference) continue;
    const y = s.get("year")!;
    const mo = s.get("month")!;
    if (s.isCertain("day"))
      return { date: iso(y, mo, s.get("day")!), precision: "day", index: r.index, length: r.text.length };
    return { date: iso(y, mo, 1), precision: "month", index: r.index, length: r.text.length };
  }
  return null;
}

// "Paris, 17 December 2017": the date after the city may open with its day.
const CITY = /^\p{Lu}[\p{L}.' -]{1,30},\s+(?=[\p{Lu}\d])/u;

/** A wire story's reporting credit, which may carry its date: "(Reporting by …; Editing by …, 26 June 2023)". */
const CREDIT = /^\(?(?:reporting|reported|writing|written|editing|edited|compiled) by\b/i;

/**
 * The date on a byline or masthead line near the top ("Published: 26 July 2023"), else on a short
 * date line or reporting credit at the foot, where wire copy and some sites put it.
 */
export function findPublicationDate(blocks: Block[]): FoundDate | null {
  const top = blocks.slice(0, 6).filter((x) => x.kind === "meta");
  const foot = blocks
    .slice(-3)
    .reverse()
    .filter(
      (x) =>
        x.text.split(/\s+/).length <= 16 &&
        // "Washington, Dec. 20, 2018": a city before the date line.
        (DATE_ONLY.test(x.text.replace(CITY, "")) || CREDIT.test(x.text)),
    );
  for (const b of [...top, ...foot]) {
    const d = parseDay(b.text, null);
    if (d?.precision === "day")
      return { date: d.date, precision: "day", start: b.start, end: b.end, confidence: 0.7 };
  }
  return null;
}

/**
 * The announcement date: a weekday in the lead counted back from the dateline or publication date,
 * else a date in the lead or dateline, else the publication date. Nothing found means null.
 */
export function findAnnouncementDate(
  text: string,
  blocks: Block[],
  lead: Sentence[],
  dateline: { start: number; end: number } | null,
  publishedOn: string | null,
): FoundDate | null {
  const meta = findPublicationDate(blocks);
  let reference: FoundDate | null = null;
  if (dateline) {
    // "SEOUL, May 14 (Yonhap)" has no year: it comes from the page or byline date, never a guess.
    const d = parseDay(text.slice(dateline.start, dateline.end), meta?.date ?? publishedOn);
    if (d?.precision === "day")
      reference = {
        date: d.date,
        precision: "day",
        start: dateline.start,
        end: dateline.end,
        confidence: 0.85,
      };
  }
  reference ??= meta;
  const published = reference?.date ?? publishedOn;

  for (const [i, s] of lead.entries()) {
    const m =
      /\b(?:on|last|this|said|says|announced|reported|unveiled|signed|agreed)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/.exec(
        s.text,
      );
    // "a premium to the closing price on Tuesday" after a dated dateline is backstory, not the day.
    const backstory = !!m && i > 0 && !!dateline && reference?.start === dateline.start && /^on\s/.test(m[0]);
    if (m && published && !backstory) {
      const day = WEEKDAYS.indexOf(m[1]!.toLowerCase());
      const ref = toUtc(published);
      const back = (ref.getUTCDay() - day + 7) % 7;
      const date = new Date(ref.getTime() - back * 86_400_000).toISOString().slice(0, 10);
      return {
        date,
        precision: "day",
        start: s.start + m.index,
        end: s.start + m.index + m[0].length,
        confidence: 0.9,
      };
    }
    const relative = /\b(yesterday|today)\b/i.exec(s.text);
    if (relative && published) {
      const back = relative[1]!.toLowerCase() === "yesterday" ? 1 : 0;
      const date = new Date(toUtc(published).getTime() - back * 86_400_000).toISOString().slice(0, 10);
      const at = s.start + relative.index;
      return { date, precision: "day", start: at, end: at + relative[0].length, confidence: 0.8 };
    }
    const explicit = parseDay(s.text, published);
    // "said on Tuesday, January 16, 2024": the weekday may stand before the date.
    if (
      explicit &&
      (/\b(?:on|dated|as of)\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*)?$/.test(
        s.text.slice(0, explicit.index),
      ) ||
        /^on\s/i.test(s.text.slice(explicit.index)))
    ) {
      const at = s.start + explicit.index;
      return {
        date: explicit.date,
        precision: explicit.precision,
        start: at,
        end: at + explicit.length,
        confidence: 0.8,
      };
    }
  }
  if (reference) return reference;
  if (publishedOn) {
    const first = lead[0];
    return {
      date: publishedOn,
      precision: "day",
      start: first?.start ?? 0,
      end: first?.end ?? 0,
      confidence: 0.5,
    };
  }
  return null;
}
