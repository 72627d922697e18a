import { describe, expect, it } from "vitest";
import { extractArticle } from "@/lib/extract";
import type { Gazetteer } from "@/lib/extract/types";
import { classifyNews } from "./classify";

const gazetteer: Gazetteer = {
  companies: ["Nokia", "Vodafone", "Siemens", "Bosch", "Orange", "Ericsson"].map((name) => ({
    slug: name.toLowerCase(),
    name,
    aliases: [],
  })),
  technologies: [{ slug: "5g", name: "5G" }],
};
const read = (title: string, text: string) =>
  classifyNews({ title, text }, extractArticle({ title, text }, gazetteer));

describe("classifyNews", () => {
  it("reads an announced agreement between two companies as a deal, with the deciding passage", () => {
    const r = read(
      "Nokia and Vodafone sign five-year 5G network agreement",
      "Nokia and Vodafone signed a five-year agreement on Monday under which Nokia will supply 5G radio equipment across Vodafone's European networks.",
    );
    expect(r.kind).toBe("deal");
    expect(r.score).toBeGreaterThanOrEqual(60);
    expect(r.reason).toMatch(/Nokia/);
    expect(r.passage).toMatch(/sign/);
  });

  it("reads an ended, a completed and a widened deal as status changes", () => {
    expect(
      read(
        "Siemens and Bosch end their joint venture agreement",
        "Siemens and Bosch said they had terminated the agreement behind their appliance venture.",
      ),
    ).toMatchObject({ kind: "status_change", change: "terminated" });
    expect(
      read(
        "Ericsson completes acquisition of Vonage",
        "Ericsson said it had completed its acquisition of Vonage.",
      ),
    ).toMatchObject({ kind: "status_change", change: "completed" });
    expect(
      read(
        "Orange and Ericsson expand their long-standing partnership",
        "Orange and Ericsson will widen their existing partnership to cover cloud-native cores.",
      ),
    ).toMatchObject({ kind: "status_change", change: "expanded" });
  });

  it("reads talks reported by unnamed people as a rumour", () => {
    const r = read(
      "Vodafone said to be in talks to merge with Orange's Spanish unit",
      "Vodafone is in talks with Orange about combining their Spanish businesses, according to people familiar with the matter.",
    );
    expect(r.kind).toBe("rumour");
    expect(r.reason).toMatch(/rumour/i);
  });

  it("reads results, launches, appointments, lawsuits, layoffs and outages as not a deal, saying which", () => {
    const cases: [string, string, RegExp][] = [
      [
        "Nokia reports second quarter 2024 results",
        "Nokia reported net sales of 4.5 billion euros.",
        /results/,
      ],
      [
        "Ericsson unveils a new radio for dense cities",
        "Ericsson launched a radio unit on Tuesday.",
        /launch/,
      ],
      [
        "Vodafone names Margherita Della Valle chief executive",
        "The board appointed her CEO.",
        /appointment/,
      ],
      ["Nokia sues Orange over patent royalties", "Nokia filed a lawsuit in Paris.", /lawsuit/],
      ["Ericsson to cut 8,500 jobs", "Ericsson will cut 8,500 jobs worldwide.", /layoffs/],
      ["Orange network outage leaves millions offline", "An outage hit Orange's network.", /outage/],
    ];
    for (const [title, text, reason] of cases) {
      const r = read(title, text);
      expect(r.kind, title).toBe("not_deal");
      expect(r.reason, title).toMatch(reason);
    }
  });

  it("keeps a funding round with venture investors only out, and one with corporates in", () => {
    expect(
      read(
        "Start-up raises $50 million",
        "Acme Robotics raised $50 million in a Series B round led by Sequoia.",
      ).kind,
    ).toBe("not_deal");
    expect(
      read(
        "Acme Robotics raises $50 million",
        "Acme Robotics raised $50 million in a Series B round led by Sequoia. Siemens and Bosch also invested.",
      ).kind,
    ).toBe("deal");
  });

  it("answers the same reading for the same item", () => {
    const a = read("Nokia and Orange team up on 5G", "Nokia and Orange partnered on 5G slicing.");
    expect(read("Nokia and Orange team up on 5G", "Nokia and Orange partnered on 5G slicing.")).toEqual(a);
  });
});
