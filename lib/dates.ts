import type { DatePrecision } from "./enums";

// Intl is enough for display; calendar validation is zod's (z.iso.date) at the boundaries.
const formats: Record<DatePrecision, Intl.DateTimeFormat> = {
  day: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
  month: new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }),
  year: new Intl.DateTimeFormat("en-GB", { year: "numeric", timeZone: "UTC" }),
};

/** "2019-05-13" → "13 May 2019"; a month-precision date shows as "Feb 2019". */
export function formatDealDate(isoDate: string, precision: DatePrecision = "day"): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : formats[precision].format(date);
}

const timestamp = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

export function formatTimestamp(iso: string): string {
  return timestamp.format(new Date(iso));
}
