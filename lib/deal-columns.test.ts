import { describe, expect, it } from "vitest";
import {
  DEAL_COLUMNS,
  DEAL_CSV_HEADER,
  DEAL_FIELD_LABELS,
  dealColumns,
  IMPORT_FIELDS,
  IMPORT_LABELS,
  importFieldsFor,
} from "./deal-columns";

describe("the one list of deal columns", () => {
  it("gives the export exactly the header other programs read (order included)", () => {
    expect(DEAL_CSV_HEADER).toEqual([
      "id",
      "title",
      "announced_on",
      "date_precision",
      "deal_types",
      "binding",
      "status",
      "parties",
      "party_countries",
      "party_sectors",
      "technology_areas",
      "summary",
      "value",
      "currency",
      "source_url",
      "quote_count",
      "created_at",
      "updated_at",
      "sources_json",
      "quotes_json",
    ]);
  });

  it("gives the import every column it can map, with the labels its column matching reads", () => {
    expect(IMPORT_FIELDS).toEqual(
      DEAL_CSV_HEADER.filter(
        (c) => !["party_countries", "party_sectors", "quote_count", "created_at", "updated_at"].includes(c),
      ),
    );
    expect(IMPORT_LABELS).toMatchObject({
      id: "Deal id",
      source_url: "Source URL",
      sources_json: "Sources (JSON)",
      quotes_json: "Quotes (JSON)",
      technology_areas: "Technology areas",
    });
    expect(importFieldsFor("sources")).toEqual(["source_url", "sources_json"]);
    expect(importFieldsFor("value.currency")).toEqual(["currency"]);
  });

  it("gives the form a label for every path of the deal input", () => {
    expect(DEAL_FIELD_LABELS).toEqual({
      title: "Title",
      announcedOn: "Announced on",
      datePrecision: "Date precision",
      types: "Deal types",
      binding: "Binding",
      status: "Status",
      statusOn: "Status since",
      summary: "Summary",
      value: "Value",
      "value.amount": "Value",
      "value.currency": "Currency",
      parties: "Parties",
      technologies: "Technology areas",
      quotes: "Quotes",
      visibility: "Visibility",
      sources: "Sources",
      expandsDealId: "Expands deal",
    });
  });

  it("does not compile while a deal input path has no entry", () => {
    // The checks are the compiler's (npx tsc --noEmit); at run time the list is returned as is.
    // @ts-expect-error -- every path but the title is missing
    const partial = dealColumns([{ csv: "title", label: "Title", field: "title" }]);
    expect(partial).toHaveLength(1);
    // @ts-expect-error -- a column needs a label
    dealColumns([...DEAL_COLUMNS, { csv: "extra", field: null }]);
  });
});
