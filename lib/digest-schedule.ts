import { z } from "zod";
import { DIGEST_FREQUENCIES, type DigestFrequency } from "./enums";

// When a user's digest is due, computed with Intl alone: Node ships the IANA time-zone data, and a
// wall-clock hour in a zone is all the schedule needs (no date library).

export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** Whether `zone` is a time zone this runtime knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every zone to offer in a list (UTC first). */
export function timeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
}

const wholeNumber = (min: number, max: number, error: string) =>
  z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });

/** The settings form and API body: every field is checked and reported on its own. */
export const digestSettingsInput = z.object({
  frequency: z.enum(DIGEST_FREQUENCIES, { error: "Choose off, daily or weekly" }),
  hour: wholeNumber(0, 23, "Choose an hour from 0 to 23"),
  weekday: wholeNumber(1, 7, "Choose a day of the week"),
  timeZone: z
    .string({ error: "Choose a time zone" })
    .trim()
    .refine(isTimeZone, { error: "Choose a time zone from the list (e.g. Europe/Berlin)" }),
});
export type DigestSettingsInput = z.output<typeof digestSettingsInput>;

export type DigestSchedule = { frequency: DigestFrequency; hour: number; weekday: number; timeZone: string };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** `now` as the wall clock shows it in `zone`, as a UTC timestamp of the same digits. */
function wallClock(now: Date, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    })
      .formatToParts(now)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<"year" | "month" | "day" | "hour" | "minute", number>;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
}

/**
 * The period `now` falls in: "daily:<date>" or "weekly:<date>", the local date on which the period's
 * digest hour came last; null when digests are off. A digest is due once when the period changes.
 * Wall-clock arithmetic keeps the hour across daylight-saving changes (08:00 stays 08:00).
 */
export function digestPeriod(schedule: DigestSchedule, now: Date): string | null {
  if (schedule.frequency === "off") return null;
  let start = wallClock(now, schedule.timeZone) - schedule.hour * HOUR_MS;
  if (schedule.frequency === "weekly") {
    const isoDay = ((new Date(start).getUTCDay() + 6) % 7) + 1;
    start -= ((isoDay - schedule.weekday + 7) % 7) * DAY_MS;
  }
  return `${schedule.frequency}:${new Date(start).toISOString().slice(0, 10)}`;
}
