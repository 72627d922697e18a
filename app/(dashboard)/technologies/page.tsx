import { audienceOf } from "@/db/accounts/visibility";
import type { Metadata } from "next";
import Link from "next/link";
import { CompareCheckbox } from "@/components/compare/compare-checkbox";
import { listTechnologies } from "@/db/directory/directory";
import { requirePrincipal } from "@/server/auth/page";
import { plural } from "@/lib/plural";

export const metadata: Metadata = { title: "Technologies" };

export default async function TechnologiesPage() {
  const { viewer } = await requirePrincipal();
  const areas = (await listTechnologies(await audienceOf(viewer))).toSorted(
    (a, b) => b.dealCount - a.dealCount || a.name.localeCompare(b.name),
  );
  const max = Math.max(1, ...areas.map((a) => a.dealCount));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Technology areas</h1>
          <p>
            {plural(areas.length, "area")}. Open one to see its deals over time, its most active companies and
            related areas.
          </p>
        </div>
      </div>
      {/* Tick 2–4 areas and compare them side by side (/compare says so if the count is off). */}
      <form method="get" action="/compare" id="compare-areas" aria-label="Compare technology areas" />
      <section className="card" aria-label="Technology areas">
        <ul className="plain rank-list">
          {areas.map((area) => (
            <li key={area.id}>
              <span>
                <CompareCheckbox form="compare-areas" kind="technology" slug={area.slug} name={area.name} />{" "}
                <Link href={`/technologies/${area.slug}`}>{area.name}</Link>
              </span>
              <span className="small muted" style={{ textAlign: "right" }}>
                {area.dealCount}
              </span>
              <div className="bar" aria-hidden="true">
                <span style={{ width: `${(area.dealCount / max) * 100}%` }} />
              </div>
            </li>
          ))}
        </ul>
        <p>
          <button type="submit" className="button" form="compare-areas">
            Compare selected (2–4)
          </button>
        </p>
      </section>
    </>
  );
}
