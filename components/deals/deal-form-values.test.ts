import { describe, expect, it } from "vitest";
import { dealFixture } from "@/test/db";
import { createDeal } from "@/db/deals/deal-writes";
import { dealInput, plainFieldsOf } from "@/lib/validation";
import { draftToFormValues, toDealPayload, toFormValues } from "./deal-form-values";

describe("deal form values", () => {
  it("start empty, with every text field as an empty input", () => {
    const empty = toFormValues();
    expect(empty).toMatchObject({ title: "", announcedOn: "", statusOn: "", summary: "", amount: "" });
    expect(toDealPayload(empty)).toMatchObject({ title: "", statusOn: null, summary: "", value: null });
  });

  it("carry a saved deal through the form and back unchanged", async () => {
    const input = dealFixture({ summary: "Said in the form", expandsDealId: null, statusOn: "2024-04-01" });
    const deal = await createDeal(input, { actor: "form test" });
    const values = toFormValues(deal);
    expect(values).toMatchObject({ title: deal.title, summary: "Said in the form", statusOn: "" });
    const again = dealInput.parse(toDealPayload(values));
    expect(plainFieldsOf(again)).toEqual(plainFieldsOf(input));
  });

  it("fill a drafted deal's text and leave what the article did not say empty", () => {
    const values = draftToFormValues({
      title: null,
      announcedOn: "2024-05-02",
      datePrecision: null,
      types: [],
      binding: "unknown",
      status: "announced",
      summary: "Drafted",
      value: null,
      parties: [],
      technologies: [],
      quotes: [],
      sources: [],
      expandsDealId: null,
    });
    expect(values).toMatchObject({ title: "", announcedOn: "2024-05-02", statusOn: "", summary: "Drafted" });
  });
});
