import { describe, expect, it } from "vitest";
import { datelineLength, findAnnouncementDate, findPublicationDate } from "./dates";
import { classifyBlocks, splitBlocks, splitSentences } from "./text";

function dateOf(text: string, publishedOn: string | null = null) {
  const blocks = classifyBlocks(splitBlocks(text));
  const lead = splitSentences(text, blocks).slice(0, 2);
  const n = lead[0] ? datelineLength(lead[0].text) : 0;
  const dateline = n ? { start: lead[0]!.start, end: lead[0]!.start + n } : null;
  return findAnnouncementDate(text, blocks, lead, dateline, publishedOn);
}

describe("datelineLength", () => {
  it.each([
    ["SEOUL, May 14 (Yonhap) -- KT said", "SEOUL, May 14 (Yonhap) -- "],
    ["LONDON, Feb 11, 2011 — Nokia said", "LONDON, Feb 11, 2011 — "],
    ["(Reuters) - Microsoft said", "(Reuters) - "],
    [
      "SAN JOSE, Calif., March 18, 2024 /PRNewswire/ -- Cisco said",
      "SAN JOSE, Calif., March 18, 2024 /PRNewswire/ -- ",
    ],
    [
      "SEOUL, Korea and MOUNTAIN VIEW, Calif. – January 27, 2014 – Samsung said",
      "SEOUL, Korea and MOUNTAIN VIEW, Calif. – January 27, 2014 – ",
    ],
  ])("%s", (sentence, dateline) => {
    expect(sentence.slice(0, datelineLength(sentence))).toBe(dateline);
  });

  it("is not fooled by a clause with a dash", () => {
    expect(datelineLength("Microsoft said the deal - its largest ever - would close soon.")).toBe(0);
  });
});

describe("findAnnouncementDate", () => {
  it("gives day precision and the evidence range", () => {
    const text = "LONDON, Feb 11, 2011 — Nokia said on Friday it would adopt Windows Phone.";
    const d = dateOf(text)!;
    expect([d.date, d.precision]).toEqual(["2011-02-11", "day"]);
    expect(text.slice(d.start, d.end)).toBe("on Friday");
  });

  it("uses a masthead date for yesterday and falls back to the publication date", () => {
    expect(
      dateOf(
        "THE CHIP WIRE — Wednesday, April 17, 2019\n\nApple and Qualcomm yesterday settled their dispute.",
      )?.date,
    ).toBe("2019-04-16");
    expect(dateOf("Apple and Qualcomm settled their dispute.", "2019-04-17")).toMatchObject({
      date: "2019-04-17",
      confidence: 0.5,
    });
  });

  it("returns null rather than guess", () => {
    expect(dateOf("Apple and Qualcomm settled their dispute on Tuesday.")).toBeNull();
    expect(dateOf("SEOUL, May 14 (Yonhap) -- KT said it signed a deal.")).toBeNull();
  });

  it("reads the publication date from a byline line", () => {
    expect(
      findPublicationDate(classifyBlocks(splitBlocks("Headline here\nPublished: 26 July 2023 | By Staff")))
        ?.date,
    ).toBe("2023-07-26");
  });
});
