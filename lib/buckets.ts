// Time buckets for charts: the same rules the SQL in db/stats/stats.ts applies, in plain code, so the
// tests can count independently and a clicked bar can become a date-range filter.

export const INTERVALS = ["month", "quarter", "year"] as const;
export type Interval = (typeof INTERVALS)[number];

/** "2019-05-13" → "2019-05" (month), "2019-Q2" (quarter), "2019" (year). */
export function bucketOf(isoDate: string, interval: Interval): string {
  const year = isoDate.slice(0, 4);
  const month = Number(isoDate.slice(5, 7));
  if (interval === "month") return isoDate.slice(0, 7);
  if (interval === "quarter") return `${year}-Q${Math.floor((month + 2) / 3)}`;
  return year;
}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The inclusive date range a bucket covers: "2019-Q2" → 2019-04-01 … 2019-06-30. */
export function bucketRange(bucket: string): { from: string; to: string } {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(bucket);
  if (quarter) {
    const year = Number(quarter[1]);
    const first = (Number(quarter[2]) - 1) * 3 + 1;
    const pad = (n: number) => String(n).padStart(2, "0");
    return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${lastDay(year, first + 2)}` };
  }
  const month = /^(\d{4})-(\d{2})$/.exec(bucket);
  if (month) return { from: `${bucket}-01`, to: `${bucket}-${lastDay(Number(month[1]), Number(month[2]))}` };
  return { from: `${bucket}-01-01`, to: `${bucket}-12-31` };
}

/** The bucket after `bucket` ("2019-12" → "2020-01", "2019-Q4" → "2020-Q1", "2019" → "2020"). */
export function nextBucket(bucket: string, interval: Interval): string {
  const end = new Date(`${bucketRange(bucket).to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return bucketOf(end.toISOString().slice(0, 10), interval);
}

/**
 * Every bucket from `first` to `last`, both included, so a time axis shows empty periods as zero
 * instead of putting Q4 2021 beside Q4 2022.
 */
export function bucketsBetween(first: string, last: string, interval: Interval): string[] {
  const out: string[] = [];
  for (let b = first; b <= last; b = nextBucket(b, interval)) out.push(b);
  return out;
}

/** `rows` (ascending, by `bucket`) with a `blank(bucket)` row for every missing period in between. */
export function fillBuckets<T extends { bucket: string }>(
  rows: T[],
  interval: Interval,
  blank: (bucket: string) => T,
): T[] {
  if (!rows.length) return rows;
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  return bucketsBetween(rows[0]!.bucket, rows[rows.length - 1]!.bucket, interval).map(
    (b) => byBucket.get(b) ?? blank(b),
  );
}

/** A short axis label: "May 2019", "Q2 2019", "2019". */
export function bucketLabel(bucket: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(bucket);
  if (quarter) return `Q${quarter[2]} ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(bucket);
  if (month) {
    return new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)).toLocaleString("en-GB", {
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    });
  }
  return bucket;
}
