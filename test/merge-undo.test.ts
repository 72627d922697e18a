import { beforeAll, describe, expect, it } from "vitest";
import { mergeCompanies, updateCompany } from "@/db/directory/companies";
import { createDeal } from "@/db/deals/deal-writes";
import { createCompany, getCompanyBySlug } from "@/db/directory/directory";
import { findCompanyId, findTechnologyId } from "@/db/directory/lookups";
import { undoMerge } from "@/db/directory/merges";
import { resolveSlug } from "@/db/directory/records";
import { getTechnology, mergeTechnologies, updateTechnology } from "@/db/directory/technologies";
import { dealFixture, tableCounts, testDb } from "./db";

// Issue 19: an undo must give back every name the merge took away. Lookups also match old page
// addresses, and a merged record's address is often its own lower-cased name ("Microsft" →
// /companies/microsft), so the check "does this name now belong to someone?" must not count the
// addresses the merge itself handed to the survivor.

beforeAll(() => {
  testDb();
});

let n = 0;
/** A name of one word (no space, no hyphen): its slug is the name lower-cased. */
const word = (prefix: string) => `${prefix}${process.pid}x${++n}`;

type CompanyCase = {
  label: string;
  name: () => string;
  aliases: () => string[];
  /** Renamed before the merge, keeping the old name as an alias and moving the address. */
  renameTo?: () => string;
};

const companyCases: CompanyCase[] = [
  { label: "one-word", name: () => word("Microsft"), aliases: () => [] },
  { label: "multi-word", name: () => `Micro Soft ${word("Co")}`, aliases: () => [] },
  {
    label: "alias-carrying",
    name: () => word("Macrohard"),
    aliases: () => [word("MH"), `Macro Hard ${word("Group")}`],
  },
  {
    label: "slug-renamed",
    name: () => word("Acme"),
    aliases: () => [],
    renameTo: () => `Acme Holdings ${word("Group")}`,
  },
];

describe("undoing a company merge", () => {
  it.each(companyCases)("gives a $label company back its names and addresses", async (c) => {
    const survivor = await createCompany({
      name: word("Microsoft"),
      aliases: [word("MSFT")],
      country: null,
      sector: null,
      website: null,
      parent: null,
    });
    let merged = await createCompany({
      name: c.name(),
      aliases: c.aliases(),
      country: null,
      sector: null,
      website: null,
      parent: null,
    });
    const oldSlugs: string[] = [];
    if (c.renameTo) {
      const renamed = await updateCompany(
        merged.slug,
        { version: merged.version, name: c.renameTo(), keepOldName: true, changeSlug: true },
        "t",
      );
      oldSlugs.push(merged.slug);
      expect(renamed.slug).not.toBe(merged.slug);
      merged = { ...merged, name: renamed.name, slug: renamed.slug };
    }
    const before = (await getCompanyBySlug(merged.slug))!;
    const survivorBefore = (await getCompanyBySlug(survivor.slug))!;
    const deal = await createDeal(
      dealFixture({ parties: [{ company: merged.name }, { company: word("Partner") }] }),
      { actor: "t" },
    );
    const counts = await tableCounts();

    const { mergeId } = await mergeCompanies(merged.slug, survivor.name, "t");
    for (const name of [before.name, ...before.aliases])
      expect(await findCompanyId(testDb(), name), name).toBe(survivor.id);

    expect(await undoMerge(mergeId, "t")).toMatchObject({ kind: "company", slug: merged.slug });
    const back = (await getCompanyBySlug(merged.slug))!;
    expect(back).toMatchObject({ id: merged.id, name: before.name, aliases: before.aliases });
    expect((await getCompanyBySlug(survivor.slug))!.aliases).toEqual(survivorBefore.aliases);
    for (const name of [before.name, ...before.aliases])
      expect(await findCompanyId(testDb(), name), name).toBe(merged.id);
    for (const slug of oldSlugs)
      expect(await resolveSlug("company", slug)).toMatchObject({ id: merged.id, redirect: merged.slug });
    // The name finds the company again when a deal names it; nothing of the merge is left over.
    const again = await createDeal(
      dealFixture({ parties: deal.parties.map((p) => ({ company: p.company.name })) }),
      { actor: "t" },
    );
    expect(again.parties[0]!.company.id).toBe(merged.id);
    const now = await tableCounts();
    for (const table of ["companies", "company_aliases", "company_slugs"])
      expect(now[table], table).toBe(counts[table]);
  });

  it("still refuses when the survivor itself took the merged name since", async () => {
    const survivor = await createCompany({
      name: word("Contoso"),
      aliases: [],
      country: null,
      sector: null,
      website: null,
      parent: null,
    });
    const merged = await createCompany({
      name: word("Contosso"),
      aliases: [],
      country: null,
      sector: null,
      website: null,
      parent: null,
    });
    const { mergeId, company } = await mergeCompanies(merged.slug, survivor.slug, "t");
    await updateCompany(
      company.slug,
      { version: company.version, name: merged.name, keepOldName: false, changeSlug: false },
      "t",
    );
    const counts = await tableCounts();
    await expect(undoMerge(mergeId, "t")).rejects.toThrow(`"${merged.name}" now names`);
    expect(await tableCounts()).toEqual(counts);
  });
});

type AreaCase = { label: string; name: () => string; renameTo?: () => string };

const areaCases: AreaCase[] = [
  { label: "one-word", name: () => word("Edge") },
  { label: "multi-word", name: () => `Edge Computing ${word("Area")}` },
  { label: "slug-renamed", name: () => word("Fog"), renameTo: () => `Fog Computing ${word("Area")}` },
];

describe("undoing a technology-area merge", () => {
  it.each(areaCases)("gives a $label area back its name and addresses", async (c) => {
    const survivorName = word("Cloud");
    const deal = await createDeal(dealFixture({ technologies: [c.name(), survivorName] }), { actor: "t" });
    let [merged, survivor] = deal.technologies;
    if (merged!.name === survivorName) [survivor, merged] = [merged, survivor];
    const oldSlugs: string[] = [];
    if (c.renameTo) {
      const read = (await getTechnology(merged!.slug))!;
      const renamed = await updateTechnology(
        merged!.slug,
        { version: read.version, name: c.renameTo(), changeSlug: true },
        "t",
      );
      oldSlugs.push(merged!.slug);
      merged = { id: renamed.id, name: renamed.name, slug: renamed.slug };
    }
    const { mergeId } = await mergeTechnologies(merged!.slug, survivor!.name, "t");
    expect(await findTechnologyId(testDb(), merged!.name)).toBe(survivor!.id);

    expect(await undoMerge(mergeId, "t")).toMatchObject({ kind: "technology", slug: merged!.slug });
    expect(await getTechnology(merged!.slug)).toMatchObject({
      id: merged!.id,
      name: merged!.name,
      redirect: null,
    });
    expect(await findTechnologyId(testDb(), merged!.name)).toBe(merged!.id);
    for (const slug of oldSlugs)
      expect(await resolveSlug("technology", slug)).toMatchObject({ id: merged!.id, redirect: merged!.slug });
  });

  it("still refuses when the survivor itself took the merged name since", async () => {
    const survivorName = word("Mesh");
    const mergedName = word("Meshh");
    const deal = await createDeal(dealFixture({ technologies: [mergedName, survivorName] }), { actor: "t" });
    const merged = deal.technologies.find((t) => t.name === mergedName)!;
    const survivor = deal.technologies.find((t) => t.name === survivorName)!;
    const { mergeId, technology } = await mergeTechnologies(merged.slug, survivor.slug, "t");
    await updateTechnology(
      technology.slug,
      { version: technology.version, name: mergedName, changeSlug: false },
      "t",
    );
    const counts = await tableCounts();
    await expect(undoMerge(mergeId, "t")).rejects.toThrow("now has the merged area's name");
    expect(await tableCounts()).toEqual(counts);
  });
});
