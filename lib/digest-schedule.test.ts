import { describe, expect, it } from "vitest";
import { digestPeriod, digestSettingsInput, isTimeZone } from "./digest-schedule";

const daily = { frequency: "daily" as const, hour: 8, weekday: 1, timeZone: "Europe/Berlin" };

describe("digestPeriod", () => {
  it("changes at the chosen hour in the user's zone, not in UTC", () => {
    // 06:59 UTC is 07:59 in Berlin (winter): still yesterday's period; 07:00 UTC is 08:00 there.
    expect(digestPeriod(daily, new Date("2026-12-07T06:59:00Z"))).toBe("daily:2026-12-06");
    expect(digestPeriod(daily, new Date("2026-12-07T07:00:00Z"))).toBe("daily:2026-12-07");
    expect(digestPeriod({ ...daily, timeZone: "UTC" }, new Date("2026-12-07T07:00:00Z"))).toBe(
      "daily:2026-12-06",
    );
  });

  it("keeps the local hour across a daylight-saving change", () => {
    // Berlin summer time: 08:00 local is 06:00 UTC.
    expect(digestPeriod(daily, new Date("2026-07-07T05:59:00Z"))).toBe("daily:2026-07-06");
    expect(digestPeriod(daily, new Date("2026-07-07T06:00:00Z"))).toBe("daily:2026-07-07");
  });

  it("a weekly period starts on the chosen weekday and lasts seven days", () => {
    const weekly = { ...daily, frequency: "weekly" as const, weekday: 1, timeZone: "America/New_York" };
    // Monday 2026-12-07 08:00 in New York is 13:00 UTC.
    expect(digestPeriod(weekly, new Date("2026-12-07T12:59:00Z"))).toBe("weekly:2026-11-30");
    expect(digestPeriod(weekly, new Date("2026-12-07T13:00:00Z"))).toBe("weekly:2026-12-07");
    expect(digestPeriod(weekly, new Date("2026-12-13T23:00:00Z"))).toBe("weekly:2026-12-07");
    expect(digestPeriod(weekly, new Date("2026-12-14T13:00:00Z"))).toBe("weekly:2026-12-14");
    expect(digestPeriod({ ...weekly, weekday: 7 }, new Date("2026-12-07T13:00:00Z"))).toBe(
      "weekly:2026-12-06",
    );
  });

  it("is null when digests are off", () => {
    expect(digestPeriod({ ...daily, frequency: "off" }, new Date())).toBeNull();
  });
});

describe("digestSettingsInput", () => {
  it("reports every bad field", () => {
    const result = digestSettingsInput.safeParse({
      frequency: "hourly",
      hour: "24",
      weekday: 0,
      timeZone: "Mars/Base",
    });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((i) => i.path[0]);
    expect(fields.sort()).toEqual(["frequency", "hour", "timeZone", "weekday"]);
  });

  it("takes form strings", () => {
    expect(
      digestSettingsInput.parse({ frequency: "weekly", hour: "7", weekday: "5", timeZone: "Asia/Tokyo" }),
    ).toEqual({
      frequency: "weekly",
      hour: 7,
      weekday: 5,
      timeZone: "Asia/Tokyo",
    });
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("")).toBe(false);
  });
});
