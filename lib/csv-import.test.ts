import { describe, expect, it } from "vitest";
import { autoMap, readCsv, rowToDeal } from "./csv-import";

const enc = (s: string) => new TextEncoder().encode(s);

describe("autoMap", () => {
  it("matches the deals export layout and common spreadsheet headers", () => {
    expect(autoMap(["id", "title", "announced_on", "deal_types", "parties", "source_url"])).toEqual({
      id: 0,
      title: 1,
      announced_on: 2,
      deal_types: 3,
      parties: 4,
      source_url: 5,
    });
    expect(autoMap(["Deal", "Date", "Type", "Companies", "Technologies", "Link", "Amount", "CCY"])).toEqual({
      title: 0,
      announced_on: 1,
      deal_types: 2,
      parties: 3,
      technology_areas: 4,
      source_url: 5,
      value: 6,
      currency: 7,
    });
  });
});

describe("readCsv", () => {
  it("reads a BOM-prefixed file with CRLF and quoted newlines", () => {
    expect(readCsv(enc('\uFEFFtitle,summary\r\nA,"two\nlines"\r\n'))).toEqual({
      header: ["title", "summary"],
      rows: [["A", "two\nlines"]],
    });
  });
});

describe("rowToDeal", () => {
  const header = [
    "id",
    "title",
    "announced_on",
    "deal_types",
    "binding",
    "parties",
    "value",
    "currency",
    "source_url",
  ];
  const mapping = autoMap(header);
  it("understands labels, short forms, roles and month dates", () => {
    const { deal, errors, id } = rowToDeal(
      [
        "12",
        "'=Title",
        "2019-02",
        "MoU; Strategic partnership; JV",
        "Non-binding",
        "SKT (partner); Foo (Holdings); Bar (investor)",
        "1,250,000.50",
        "usd",
        "https://x.org",
      ],
      header,
      mapping,
    );
    expect(errors).toEqual({});
    expect(id).toBe(12);
    expect(deal).toMatchObject({
      title: "=Title",
      announcedOn: "2019-02-01",
      datePrecision: "month",
      types: ["mou", "strategic_partnership", "joint_venture"],
      binding: "non_binding",
      parties: [
        { company: "SKT", role: "partner" },
        { company: "Foo (Holdings)", role: "partner" },
        { company: "Bar", role: "investor" },
      ],
      value: { amount: "1250000.50", currency: "usd" },
      sources: [{ url: "https://x.org" }],
    });
  });

  it("reports what it cannot read, against the analyst's own column names", () => {
    const { errors } = rowToDeal(
      ["x", "T", "31/02/2024", "merger", "perhaps", "A; B", "", "", ""],
      header,
      mapping,
    );
    expect(Object.keys(errors).sort()).toEqual(["announced_on", "binding", "deal_types", "id"]);
  });
});
