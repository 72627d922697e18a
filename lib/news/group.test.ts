import { describe, expect, it } from "vitest";
import { groupKind, partyKeyOf, sameAnnouncement, textSimilarity, type GroupProbe } from "./group";

const probe = (over: Partial<GroupProbe>): GroupProbe => ({
  kind: "deal",
  parties: ["General Motors", "LG Chem"],
  title: "GM and LG Chem form battery venture",
  text: "General Motors and LG Chem will form a joint venture to make battery cells in Ohio.",
  publishedAt: new Date("2019-12-05T14:00:00Z"),
  ...over,
});

describe("sameAnnouncement", () => {
  it("joins the same parties within a few days, whatever the wording", () => {
    expect(
      sameAnnouncement(
        probe({}),
        probe({
          parties: ["LG Chem Ltd.", "General Motors"],
          title: "Lordstown lands a plant",
          text: "A different story.",
          publishedAt: new Date("2019-12-06T20:00:00Z"),
        }),
      ),
    ).toBe(true);
  });

  it("keeps apart the same parties weeks later, other kinds, and different parties", () => {
    expect(sameAnnouncement(probe({}), probe({ publishedAt: new Date("2020-01-20T00:00:00Z") }))).toBe(false);
    expect(sameAnnouncement(probe({}), probe({ kind: "rumour" }))).toBe(false);
    expect(
      sameAnnouncement(
        probe({}),
        probe({
          parties: ["General Motors", "Honda"],
          title: "GM and Honda to co-develop EVs",
          text: "General Motors and Honda will develop affordable EVs.",
        }),
      ),
    ).toBe(false);
  });

  it("joins an item that missed a party when each names the other's parties", () => {
    expect(
      sameAnnouncement(
        probe({
          parties: ["AstraZeneca", "Daiichi Sankyo"],
          title: "AstraZeneca, Daiichi Sankyo strike cancer deal",
          text: "AstraZeneca and Daiichi Sankyo agreed to co-develop a drug.",
        }),
        probe({
          parties: ["AstraZeneca"],
          title: "AstraZeneca pays upfront to share Daiichi Sankyo's conjugate",
          text: "AstraZeneca will pay $1.35bn.",
        }),
      ),
    ).toBe(true);
  });

  it("joins a write-up read as not a deal to the deal it reports, when it names every party and says much the same", () => {
    const deal = probe({});
    const writeUp = probe({
      kind: "not_deal",
      parties: ["General Motors"],
      title: "Why GM is paying $2.3bn to make battery cells with LG Chem",
      text: "General Motors will form a joint venture with LG Chem to make battery cells in Ohio, analysts said.",
    });
    expect(sameAnnouncement(deal, writeUp)).toBe(true);
    expect(sameAnnouncement(writeUp, deal)).toBe(true);
    expect(groupKind("not_deal", "deal")).toBe("deal");
    // Other news about the same two companies, or a rumour, or a write-up naming one of them: apart.
    expect(
      sameAnnouncement(deal, {
        ...writeUp,
        title: "LG Chem sues General Motors over unpaid invoices",
        text: "LG Chem filed a lawsuit against General Motors in a Delaware court, claiming that the carmaker has not paid invoices for pouch cells delivered to its Michigan assembly lines since last spring.",
      }),
    ).toBe(false);
    expect(sameAnnouncement(deal, { ...writeUp, kind: "rumour" })).toBe(false);
    expect(
      sameAnnouncement(deal, {
        ...writeUp,
        text: writeUp.text.replace(" with LG Chem", ""),
        title: "Why GM is paying $2.3bn for battery cells",
      }),
    ).toBe(false);
  });

  it("finds a party with a two-letter name in the other item's text", () => {
    expect(
      sameAnnouncement(
        probe({ parties: ["LG Chem", "General Motors"] }),
        probe({
          parties: ["General Motors"],
          title: "Ohio gets a cell plant",
          text: "General Motors picked Lordstown for the factory it will share with LG Chem.",
        }),
      ),
    ).toBe(true);
  });

  it("folds items that are not deals only when they are the same text", () => {
    const outage = probe({
      kind: "not_deal",
      parties: [],
      title: "Outage hits airlines",
      text: "A faulty update crashed computers worldwide, grounding flights.",
    });
    expect(sameAnnouncement(outage, { ...outage })).toBe(true);
    expect(
      sameAnnouncement(outage, {
        ...outage,
        title: "Bank results",
        text: "The bank reported higher profit.",
      }),
    ).toBe(false);
  });
});

describe("partyKeyOf and textSimilarity", () => {
  it("ignores order, case and legal suffixes; measures shared words", () => {
    expect(partyKeyOf(["LG Chem Ltd.", "general motors"])).toBe(partyKeyOf(["General Motors", "LG Chem"]));
    expect(textSimilarity("the same words here", "the same words here")).toBe(1);
    expect(textSimilarity("alpha beta gamma", "delta epsilon zeta")).toBe(0);
  });
});
