import { describe, expect, it } from "vitest";
import { datelineLength, findAnnouncementDate, findPublicationDate } from "./dates";
import { fixtureGazetteer } from "@/test/fixtures/extract-gazetteer";
import { extractArticle } from "./index";
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
      "VEVEY, Switzerland & SEATTLE--(BUSINESS WIRE)--May 7, 2018--Nestlé and Starbucks announced",
      "VEVEY, Switzerland & SEATTLE--(BUSINESS WIRE)--May 7, 2018--",
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

  // Wire copy and some sites put the date at the foot: a date line or the reporting credit.
  it.each([
    ["Published January 13, 2020", "2020-01-13"],
    ["Published Dec 30, 2019, 11:12 am SGT", "2019-12-30"],
    ["(Reporting by Tom Fenwick; Editing by Jane Ashworth, 26 June 2023)", "2023-06-26"],
    // Issue 21 (blind-3): a city before the date line at the foot; Dec. 20, 2018 is a Thursday.
    ["Washington, Dec. 20, 2018", "2018-12-17"],
  ])("counts a weekday back from a date at the foot: %s", (foot, date) => {
    const story = Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1} of the story goes on.`).join(
      "\n\n",
    );
    const text = `Aston Martin Lagonda has agreed a deal with Lucid Group, the British brand said on Monday.\n\n${story}\n\n${foot}\n`;
    expect(dateOf(text)?.date).toBe(date);
  });

  it("keeps a dated dateline over a bare weekday in the lead's second sentence (issue 21, blind-3)", () => {
    const text =
      "TORONTO, Aug. 15, 2018 — Korvel Brands will invest C$5 billion in Tessel Growth.\n\nKorvel will buy new Tessel shares at a premium to Tessel's closing price on Tuesday.";
    expect(dateOf(text)?.date).toBe("2018-08-15");
  });

  it("does not take a date inside the story's last paragraph for the foot's", () => {
    const text =
      "Visa will buy Plaid, the payments giant said on Monday.\n\nThe deal was first reported by analysts who expect it to close by Jan. 13, 2021, after a long review by regulators.\n";
    expect(dateOf(text)).toBeNull();
  });

  it("reads past a byline to the lead's weekday", () => {
    const text =
      "Isomorphic Labs signs deals with Lilly and Novartis\n\nMonday, January 8, 2024\n\nBy Priya Raman, Health Technology Correspondent\n\nLONDON — Isomorphic Labs has signed its first pharmaceutical partnerships, with Eli Lilly and Novartis.\n\nThe London-based company announced on Sunday that it had agreed research collaborations with each.";
    expect(extractArticle({ text }, fixtureGazetteer()).draft.announcedOn).toBe("2024-01-07");
  });
});

describe("dates in other common forms", () => {
  it("takes a weekday before the date ('said on Tuesday, January 16, 2024')", () => {
    const text =
      "Vodafone and Microsoft sign 10-year partnership\n\nVodafone and Microsoft said on Tuesday, January 16, 2024, that they had agreed a 10-year strategic partnership.";
    const result = extractArticle({ text }, fixtureGazetteer());
    expect(result.draft.announcedOn).toBe("2024-01-16");
    expect(result.evidence.announcedOn?.snippet).toBe("on Tuesday, January 16, 2024");
  });

  it("reads a dateline closed by a full stop ('Munich, 9 July 2020. The BMW Group …')", () => {
    const text =
      "BMW orders battery cells from Northvolt\n\nMunich, 9 July 2020. The BMW Group has awarded Swedish battery maker Northvolt a contract worth about two billion euros, the carmaker said today.";
    const draft = extractArticle({ text }, fixtureGazetteer()).draft;
    expect(draft.announcedOn).toBe("2020-07-09");
    expect(draft.summary.startsWith("The BMW Group")).toBe(true);
  });
});

describe("a deck under the headline", () => {
  it("is not the lead: the dateline paragraph after it gives the date", () => {
    const text =
      "Marvell to Acquire Inphi, Creating a Leader in Data Infrastructure Chips\n\nCombination adds high-speed electro-optics to Marvell's portfolio for cloud data centers\n\nSANTA CLARA, Calif., Oct. 29, 2020 /PRNewswire/ -- Marvell Technology Group Ltd. (NASDAQ: MRVL) and Inphi Corporation (NYSE: IPHI) today announced a definitive agreement under which Marvell will acquire Inphi.";
    expect(extractArticle({ text }, fixtureGazetteer()).draft.announcedOn).toBe("2020-10-29");
  });
});

// Issue 21 (blind-2): a date in brackets in the dateline, an ordinal day and a "Filed" line at the foot.
describe("dates in blind-2 forms", () => {
  it("reads a dateline's bracketed date", () => {
    expect(
      dateOf("ATLANTA/SANTIAGO (Sept 26, 2019) - Korvel Air will invest $1.9 billion in Tessel Airlines.")
        ?.date,
    ).toBe("2019-09-26");
  });

  it.each([
    ["Published: 9th August 2017 10:45 PM | Last Updated: 10th August 2017 08:12 AM", "2017-08-09"],
    ["Filed 21 November 2022 14:05 GMT", "2022-11-21"],
  ])("reads the foot line %s, counting back from it", (foot, published) => {
    // Paragraphs enough that the foot is not among the lines at the top.
    const body = Array.from({ length: 6 }, (_, i) => `The partnership covers bike range ${i + 1}.`);
    const text = [
      "PUNE: Korvel Auto has tied up with Tessel Motorcycles, the two companies said.",
      ...body,
      foot,
    ].join("\n\n");
    expect(dateOf(text)?.date).toBe(published);
  });
});

// Issue 21, round 4: dates first runs on blind sets did not find (invented articles).
describe("dates (first-run causes)", () => {
  it("reads a dateline whose places are written with letters outside ASCII", () => {
    const s = "Ærøskøbing and Tønsberg, Denmark, 12 December 2022 – Korvel A/S today announced a merger.";
    expect(datelineLength(s)).toBe("Ærøskøbing and Tønsberg, Denmark, 12 December 2022 – ".length);
  });
  it.each([
    ["a city and a day-first date", "Lyon, 17 December 2017", "2017-12-17"],
    ["a weekday, a date and a time", "Wednesday, 19 February 2014 | 09:12 GMT", "2014-02-19"],
    ["a wire's dotted numeric date", "Filed 16.11.2016 18:40 CET", "2016-11-16"],
  ])("takes the date at the foot: %s", (_, foot, date) => {
    // Past the first six blocks, where the top's date lines are looked for.
    const body = Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1} of the story goes on.`).join("\n\n");
    const text = `Korvel buys Tessel\n\nLYON, Dec 17 - Korvel said on Monday it would buy Tessel.\n\n${body}\n\n${foot}`;
    expect(findPublicationDate(classifyBlocks(splitBlocks(text)))?.date).toBe(date);
  });
});
