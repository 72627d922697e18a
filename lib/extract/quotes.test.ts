import { describe, expect, it } from "vitest";
import { fixtureGazetteer } from "@/test/fixtures/extract-gazetteer";
import { extractArticle } from "./index";
import { splitTitle } from "./quotes";

const known: Record<string, string> = {
  "sk telecom": "SK Telecom",
  nokia: "Nokia",
  "nokia technologies": "Nokia",
  ibm: "IBM",
  mercedesbenz: "Mercedes-Benz",
};
const isOrg = (s: string) =>
  known[
    s
      .toLowerCase()
      .replace(/\s+ag$|[^a-z ]/g, "")
      .trim()
  ] ?? null;

describe("splitTitle", () => {
  it.each([
    ["President and CEO of SK Telecom", "President and CEO", "SK Telecom"],
    [
      "senior vice president of Cloud and Cognitive Software at IBM",
      "senior vice president of Cloud and Cognitive Software",
      "IBM",
    ],
    ["an analyst at Northbridge Securities", "analyst", "Northbridge Securities"],
    ["President of Nokia Technologies", "President of Nokia Technologies", "Nokia"],
    ["Aptiv's president and chief executive officer", "president and chief executive officer", "Aptiv"],
    [
      "Head of Samsung's Intellectual Property Center",
      "Head of Samsung's Intellectual Property Center",
      "Samsung",
    ],
    [
      "chairman of the board of management of Daimler AG and Mercedes-Benz AG",
      "chairman of the board of management",
      "Mercedes-Benz",
    ],
    ["executive vice president of .", "executive vice president", null],
  ])("%s", (phrase, title, company) => {
    expect(splitTitle(phrase, isOrg)).toEqual({ title, company });
  });
});

// Issue 21: quotes in every common form, speakers across sentences.
describe("quotes in whole articles", () => {
  const gazetteer = fixtureGazetteer();
  const quotes = (text: string) =>
    extractArticle({ text }, gazetteer).draft.quotes.map((q) => [q.text, q.speaker, q.speakerCompany]);
  const lead = "Volkswagen and Rivian Automotive said on Tuesday they will form a joint venture.\n\n";

  it("a partial quote inside a sentence, and a split quote around 'he added'", () => {
    const text = `${lead}Rivian chief executive RJ Scaringe called the deal "a huge validation" of its technology. "We're excited to be working with Volkswagen," he added, "to bring our architecture to more vehicles."`;
    expect(quotes(text)).toEqual([
      ["a huge validation", "RJ Scaringe", "Rivian Automotive"],
      [
        "We're excited to be working with Volkswagen to bring our architecture to more vehicles.",
        "RJ Scaringe",
        "Rivian Automotive",
      ],
    ]);
  });

  it("a split quote whose attribution names a new speaker", () => {
    const text = `${lead}"We hope to do great things together," Volkswagen CEO Oliver Blume said.\n\n"Rivian has always been a leader in software," Rivian CEO RJ Scaringe said, "and this venture builds on that."`;
    expect(quotes(text).map((q) => q[1])).toEqual(["Oliver Blume", "RJ Scaringe"]);
  });

  it("paragraphs of quotation introduced by 'X said …:' without closing marks", () => {
    const text = `${lead}Oliver Blume, the Volkswagen board member responsible for software, said the venture was an important step:\n\n"By sharing one architecture, we are cutting cost for every vehicle we build.\n\n"We expect the first cars in 2027."`;
    expect(quotes(text).map((q) => q[1])).toEqual(["Oliver Blume", "Oliver Blume"]);
    expect(quotes(text)[0]![2]).toBe("Volkswagen");
  });

  it("a short quote continuing the one before it in the same paragraph", () => {
    const text = `${lead}"Today, software decides what a car can do for its driver," said Oliver Blume, chief executive of Volkswagen. "This venture changes that."`;
    expect(quotes(text).map((q) => q[0])).toEqual([
      "Today, software decides what a car can do for its driver.",
      "This venture changes that.",
    ]);
  });

  it("the company in front of the title ('Ford president and CEO'), and a middle initial", () => {
    const text = `Ford and SK Innovation signed a memorandum of understanding.\n\n"This is a critical step," said Jim Farley, Ford president and CEO. "It changes how we build trucks," said Dean Y. Li, head of research at SK Innovation.`;
    expect(quotes(text)).toEqual([
      ["This is a critical step.", "Jim Farley", "Ford"],
      ["It changes how we build trucks.", "Dean Y. Li", "SK Innovation"],
    ]);
  });
});

describe("speakers across sentences", () => {
  it("'the CEO said' is the last person named with that title; a surname alone is that person", () => {
    const text =
      'Ford and SK Innovation signed a memorandum of understanding.\n\nJim Farley, Ford president and CEO, was at the signing with Jun Kim, head of batteries at SK Innovation.\n\n"This is a critical step for our trucks," the CEO said.\n\n"We have waited years for this venture," Kim said.';
    const quotes = extractArticle({ text }, fixtureGazetteer()).draft.quotes;
    expect(quotes.map((q) => [q.speaker, q.speakerCompany])).toEqual([
      ["Jim Farley", "Ford"],
      ["Jun Kim", "SK Innovation"],
    ]);
  });
});
