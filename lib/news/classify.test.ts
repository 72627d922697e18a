import { describe, expect, it } from "vitest";
import { extractArticle } from "@/lib/extract";
import type { Gazetteer } from "@/lib/extract/types";
import { classifyNews } from "./classify";

const gazetteer: Gazetteer = {
  companies: [
    "Nokia",
    "Vodafone",
    "Siemens",
    "Bosch",
    "Orange",
    "Ericsson",
    "Altair",
    "Airbus",
    "Thales",
    "Deutsche Telekom",
    "Sanofi",
    "Teva",
    "AMD",
    "Intel",
    "Google",
    "Microsoft",
    "Activision Blizzard",
    "Stellantis",
    "NVIDIA",
  ].map((name) => ({
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

  it("reads results, launches, appointments, lawsuits, layoffs, outages, regulators and recalls as not a deal, saying which", () => {
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
      [
        "UK regulator blocks Microsoft's acquisition of Activision Blizzard",
        "The competition regulator blocked the deal over cloud gaming concerns.",
        /regulator/,
      ],
      [
        "Stellantis recalls 1.2 million vehicles over a camera fault",
        "Stellantis is recalling vehicles.",
        /recall/,
      ],
      [
        "Intel posts record quarterly revenue",
        "Intel posted revenue of $20 billion for the quarter.",
        /results/,
      ],
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

  it("knows the other words announcements use: buying, choosing a supplier, joining forces, contracts, rights", () => {
    const cases: [string, string][] = [
      [
        "Siemens buys Altair for $10 billion",
        "Siemens will buy Altair for about $10 billion in cash, the companies said.",
      ],
      [
        "Vodafone selects Ericsson to modernise its radio network in Germany",
        "Vodafone has chosen Ericsson as the supplier for its radio network in Germany.",
      ],
      [
        "Airbus and Thales join forces on space business",
        "Airbus and Thales will combine their satellite businesses.",
      ],
      [
        "Nokia wins five-year 5G contract from Deutsche Telekom",
        "Nokia has won a five-year contract to supply 5G radio equipment to Deutsche Telekom.",
      ],
      [
        "Sanofi to pay $1.5 billion for rights to Teva's bowel disease drug",
        "Sanofi will pay Teva $500 million upfront and up to $1 billion in milestones.",
      ],
    ];
    for (const [title, text] of cases) expect(read(title, text).kind, title).toBe("deal");
  });

  it("reads a results release that also announces a new deal as a deal, and one that does not as results", () => {
    const results = "AMD reports first quarter results";
    const figures = "AMD reported revenue of $832 million. The operating loss narrowed to $68 million.";
    const r = read(
      results,
      `${figures}\n\nAMD also announced a joint venture with Intel to design server chips.`,
    );
    expect(r).toMatchObject({ kind: "deal", passage: expect.stringMatching(/joint venture with Intel/) });
    expect(read(results, `${figures}\n\nAMD also announced a new chief financial officer.`).kind).toBe(
      "not_deal",
    );
  });

  it("reads a write-up of a deal announced alongside results as the deal, so it joins the deal's candidate", () => {
    // An analysis piece on the deal names the results only as the occasion of the announcement.
    const r = read(
      "Why Sanofi is paying 40 times sales for Teva",
      "Sanofi's agreement to acquire Teva for roughly $30 billion, announced on Tuesday alongside its quarterly results, is a defensive purchase, analysts said.\n\nTeva has taken market share from Sanofi in generics.",
    );
    expect(r.kind).toBe("deal");
    expect(
      read(
        "Sanofi posts higher sales",
        "Sanofi published its quarterly results on Tuesday. Sales rose 5 percent.",
      ).kind,
    ).toBe("not_deal");
  });

  it("reads a looser tie turned into a partnership as a new deal, not a change", () => {
    const r = read(
      "Siemens and NVIDIA team up on industrial digital twins",
      "Siemens and NVIDIA said they have agreed to expand their long-standing relationship into a partnership that will connect their platforms.",
    );
    expect(r.kind).toBe("deal");
  });

  it("reads a deal told as an 'end-to-end deal' as the deal, not as one that ends", () => {
    expect(
      read(
        "What Siemens's offer for Bosch changes for customers",
        "The merger agreement that Siemens and Bosch disclosed on Sunday is, in industry terms, an end-to-end deal: their networks barely overlap. Under the agreement, Siemens pays $40 a share in cash and stock.",
      ).kind,
    ).toBe("deal");
  });

  it("reads a deal that is called off or terminated, told noun first, as ended", () => {
    expect(
      read(
        "Airbus's purchase of Thales is called off after court loss",
        "Thales said on Monday that its agreement to sell itself to Airbus has been terminated, three weeks after a judge blocked the $2.2 billion deal.",
      ),
    ).toMatchObject({ kind: "status_change", change: "terminated" });
  });

  it("reads an amendment to a collaboration as the collaboration growing", () => {
    expect(
      read(
        "Sanofi takes a larger share of Teva's antibody for $900 million",
        "Sanofi will pay Teva $900 million upfront to take a bigger share of the antibody the two companies have been developing together, under an amendment to their collaboration announced on Tuesday.",
      ),
    ).toMatchObject({ kind: "status_change", change: "expanded" });
  });

  it("reads a company approving the expansion of its own project as not a deal", () => {
    expect(
      read(
        "Stellantis approves $2.5 billion expansion of its Ohio battery project",
        "Stellantis has approved $2.5 billion of investment to expand its Ohio battery project to an annual capacity of 60 gigawatt-hours. Construction of the expanded plant starts next year. Stellantis agreed in October to acquire a battery maker.",
      ),
    ).toMatchObject({ kind: "not_deal", reason: expect.stringMatching(/its own/) });
  });

  it("answers the same reading for the same item", () => {
    const a = read("Nokia and Orange team up on 5G", "Nokia and Orange partnered on 5G slicing.");
    expect(read("Nokia and Orange team up on 5G", "Nokia and Orange partnered on 5G slicing.")).toEqual(a);
  });
});
