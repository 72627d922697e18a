import { describe, expect, it } from "vitest";
import { classifyBlocks, findHeadline, splitBlocks, splitSentences } from "./text";

const kinds = (text: string) => classifyBlocks(splitBlocks(text)).map((b) => b.kind);

describe("text cleaning", () => {
  it("drops breadcrumbs, captions, share widgets and RELATED lines, and keeps dates as meta", () => {
    const text = [
      "HomeTech NewsAcme and Beta...",
      "Telecom | 5G | Cloud",
      "May 14, 2019",
      "Acme, Beta sign deal on 5G",
      "Share on Twitter | Share on LinkedIn | Email",
      "Acme CEO Jane Doe (left) and Beta CEO John Roe in Seoul. (Acme)",
      "Acme and Beta said on Tuesday they signed a deal.",
      "Advertisement",
      "RELATED: Gamma teams up with Delta",
      "The deal covers 5G.",
    ].join("\n\n");
    expect(kinds(text)).toEqual([
      "dropped",
      "dropped",
      "meta",
      "body",
      "dropped",
      "dropped",
      "body",
      "dropped",
      "dropped",
      "body",
    ]);
  });

  it("ends the article at author boxes, About sections and media contacts", () => {
    const bio = [
      "Microsoft and SK Telecom signed a memorandum of understanding on 5G and AI on Monday in Seoul.",
      "Ryan Maskell",
      "Ryan Maskellhttps://example.org",
      "Ryan has a passion for tech.",
    ];
    expect(classifyBlocks(splitBlocks(bio.join("\n"))).map((b) => b.kind)).toEqual([
      "body",
      "dropped",
      "dropped",
      "dropped",
    ]);
    const about = [
      "Samsung and Google signed a global patent cross-license agreement covering ten years of patents.",
      "About Samsung Electronics Co., Ltd.",
      "Samsung is a leader.",
      "Media Contacts",
    ];
    expect(classifyBlocks(splitBlocks(about.join("\n"))).map((b) => b.kind)).toEqual([
      "body",
      "dropped",
      "dropped",
      "dropped",
    ]);
  });

  it("strips list bullets but keeps offsets into the original text", () => {
    const text = "Intro line.\n• Apple and Qualcomm settle.\n";
    const [, bullet] = splitBlocks(text);
    expect(bullet!.text).toBe("Apple and Qualcomm settle.");
    expect(text.slice(bullet!.start, bullet!.end)).toBe(bullet!.text);
  });

  it("finds the headline: the first short block without a full stop", () => {
    const blocks = classifyBlocks(
      splitBlocks(
        "Press Release\n23 January 2023\nNokia signs patent license agreement with Samsung\nEspoo, Finland – Nokia today announced it.",
      ),
    );
    expect(findHeadline(blocks)?.text).toBe("Nokia signs patent license agreement with Samsung");
  });
});

describe("splitSentences", () => {
  it("does not split after abbreviations and keeps offsets", () => {
    const text =
      'Toyota Motor Corp. and Panasonic Corp. agreed. "It is big," said Dr. Jane Doe. Shares rose.';
    const sentences = splitSentences(text, splitBlocks(text));
    expect(sentences.map((s) => s.text)).toEqual([
      "Toyota Motor Corp. and Panasonic Corp. agreed.",
      '"It is big," said Dr. Jane Doe.',
      "Shares rose.",
    ]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});

describe("newsletter heads", () => {
  it("keeps a Source: line at the top as meta instead of ending the article there", () => {
    const text =
      "Source: https://newsletter.example.com/x\nTHE CHIP WIRE — Wednesday, April 17, 2019\n\nApple and Qualcomm settle\n\nApple and Qualcomm yesterday announced an agreement to dismiss all litigation worldwide.";
    expect(kinds(text)).toEqual(["meta", "meta", "body", "body"]);
  });
});

// Issue 21 (blind-2): "Yum! Brands" is one name, not two sentences.
describe("splitSentences and names with an exclamation mark", () => {
  it("does not end a sentence inside a name, but does after an exclamation", () => {
    const text = "Korvel signed deals with Yumm! Brands Inc and Tessel. What a day! The shares rose.";
    const blocks = splitBlocks(text);
    expect(splitSentences(text, blocks).map((s) => s.text)).toEqual([
      "Korvel signed deals with Yumm! Brands Inc and Tessel.",
      "What a day!",
      "The shares rose.",
    ]);
  });
});

describe("splitSentences and a dateline's abbreviation in capitals", () => {
  it("does not end a sentence at 'ST.' in 'ST. LOUIS —'", () => {
    const text =
      "ST. LOUIS — Korvel is teaming up with Tessel Foods. The burger will be sold in 59 restaurants.";
    const blocks = classifyBlocks(splitBlocks(text));
    expect(splitSentences(text, blocks).map((s) => s.text)).toEqual([
      "ST. LOUIS — Korvel is teaming up with Tessel Foods.",
      "The burger will be sold in 59 restaurants.",
    ]);
  });
});
