import { describe, expect, it } from "vitest";
import { extractArticle } from "./index";
import type { Gazetteer } from "./types";

const gazetteer: Gazetteer = {
  companies: [
    { slug: "microsoft", name: "Microsoft", aliases: ["Microsoft Corp.", "MSFT"] },
    { slug: "sk-telecom", name: "SK Telecom", aliases: ["SKT"] },
    { slug: "att", name: "AT&T", aliases: [] },
    { slug: "samsung-electronics", name: "Samsung Electronics", aliases: ["Samsung"] },
    { slug: "nvidia", name: "NVIDIA", aliases: [] },
  ],
  technologies: ["5G", "AI", "Cloud", "IoT", "Edge computing", "Smartphones", "Semiconductors"].map(
    (name) => ({
      slug: name.toLowerCase(),
      name,
    }),
  ),
};
const run = (text: string, publishedOn?: string) => extractArticle({ text, publishedOn }, gazetteer);
const parties = (text: string, publishedOn?: string) =>
  run(text, publishedOn).draft.parties.map((p) => `${p.company}:${p.role}`);

describe("parties and roles", () => {
  it("finds partners around a deal verb, known or not", () => {
    expect(
      parties(
        "Acme Robotics and SK Telecom sign MoU on 5G\n\nAcme Robotics and SK Telecom have signed a memorandum of understanding.",
      ),
    ).toEqual(["Acme Robotics:partner", "SK Telecom:partner"]);
  });

  it("reads investor and investee", () => {
    expect(
      parties(
        "Gamma Capital Inc. said on Monday it would invest $20 million in Beta Labs, a robotics startup.",
      ),
    ).toEqual(["Gamma Capital:investor", "Beta Labs:investee"]);
    expect(
      parties("Beta Labs raised $40 million from Gamma Capital Inc. and Microsoft, the company said."),
    ).toEqual(["Beta Labs:investee", "Gamma Capital:investor", "Microsoft:investor"]);
  });

  it("reads acquirer and target, with Reuters tickers", () => {
    expect(
      parties(
        "(Reuters) - Microsoft Corp (MSFT.O) said on Monday it would buy Zeta Networks Inc (ZETA.N) for $1 billion.",
      ),
    ).toEqual(["Microsoft:acquirer", "Zeta Networks:target"]);
  });

  it("reads licensor and licensee", () => {
    expect(
      parties("Omega Tech Corp. licenses its modem patents to Samsung under a five-year agreement."),
    ).toEqual(["Omega Tech:licensor", "Samsung Electronics:licensee"]);
  });

  it("uses exchange tickers to spot unknown companies", () => {
    expect(
      parties("Delta Systems (NYSE: DLT) and AT&T (NYSE: T) today announced a strategic alliance."),
    ).toEqual(["Delta Systems:partner", "AT&T:partner"]);
  });

  it("finds two unknown companies joined by and, with a descriptor before the second", () => {
    expect(parties("Rakuten Mobile and Mavenir signed an agreement on Tuesday to deploy Open RAN.")).toEqual([
      "Rakuten Mobile:partner",
      "Mavenir:partner",
    ]);
    expect(
      parties(
        "Japan's Omega Corp. and U.S. chip designer Ampere Computing said Thursday they will collaborate.",
      ),
    ).toEqual(["Omega:partner", "Ampere Computing:partner"]);
  });

  it("reads customer and supplier, and lets a parent only qualify its subsidiary", () => {
    expect(
      parties("SK Telecom has selected Samsung as the supplier for its 5G rollout, the companies announced."),
    ).toEqual(["SK Telecom:customer", "Samsung Electronics:supplier"]);
    expect(parties("Microsoft's LinkedIn Corp. has agreed to invest $2 million in Beta Labs.")).toEqual([
      "LinkedIn:investor",
      "Beta Labs:investee",
    ]);
  });

  it("does not take rivals named in the lead for parties", () => {
    expect(parties("Microsoft and SK Telecom team up on cloud to rival Amazon Web Services Inc.")).toEqual([
      "Microsoft:partner",
      "SK Telecom:partner",
    ]);
  });
});

describe("announcement date", () => {
  it("counts a weekday back from the dateline", () => {
    const { draft } = run(
      "SEOUL, May 14 (Yonhap) -- SK Telecom said Monday it signed a deal with Microsoft.",
      "2019-05-14",
    );
    expect([draft.announcedOn, draft.datePrecision]).toEqual(["2019-05-13", "day"]);
  });

  it("counts a weekday back from the publication date", () => {
    expect(
      run("Microsoft and SK Telecom on Tuesday announced a partnership.", "2023-07-26").draft.announcedOn,
    ).toBe("2023-07-25");
  });

  it("takes the day itself when the weekday is the publication day", () => {
    expect(
      run("Microsoft and SK Telecom on Tuesday announced a partnership.", "2019-01-22").draft.announcedOn,
    ).toBe("2019-01-22");
  });

  it("reads yesterday and today against the masthead date, and a Source: line as the URL", () => {
    const text =
      "Source: https://newsletter.example.com/chip-wire/2019-04-17\nTHE CHIP WIRE — Wednesday, April 17, 2019\n\nMicrosoft and SK Telecom settle\n\nIn a surprise move, Microsoft and SK Telecom yesterday announced an agreement to end all litigation.";
    const { draft } = run(text);
    expect(draft.announcedOn).toBe("2019-04-16");
    expect(draft.sources[0]!.url).toBe("https://newsletter.example.com/chip-wire/2019-04-17");
  });

  it("uses a full dateline date", () => {
    expect(
      run("LONDON, Feb 11, 2011 — Microsoft and SK Telecom said they would partner.").draft.announcedOn,
    ).toBe("2011-02-11");
  });

  it("never invents a date: no year, no weekday anchor, no date", () => {
    const r = run("SEOUL, May 14 (Yonhap) -- SK Telecom said Monday it signed a deal with Microsoft.");
    expect(r.draft.announcedOn).toBeNull();
    expect(r.draft.datePrecision).toBeNull();
    expect(r.warnings.join(" ")).toMatch(/No announcement date/);
  });
});

describe("deal types, binding, technologies and value", () => {
  it("takes the type the headline and first sentence name over later wording", () => {
    const { draft } = run(
      "Microsoft, SK Telecom to team up on AI\n\nSK Telecom said Sunday it has signed a strategic partnership with Microsoft to jointly develop AI services.\n\nThe two companies will invest a combined 2 trillion won.",
    );
    expect(draft.types[0]).toBe("strategic_partnership");
  });

  it("puts the most specific type first and marks an MoU non-binding", () => {
    const { draft } = run(
      "Microsoft and SK Telecom sign strategic partnership MoU on 5G\n\nThe memorandum of understanding covers AI.",
    );
    expect(draft.types.slice(0, 2)).toEqual(["mou", "strategic_partnership"]);
    expect(draft.binding).toBe("non_binding");
  });

  it("lets the text say an agreement binds", () => {
    expect(
      run("Microsoft and SK Telecom signed a legally binding letter of intent to form a cloud venture.").draft
        .binding,
    ).toBe("binding");
  });

  it("maps synonyms on word boundaries only", () => {
    const { draft } = run(
      "Microsoft and SK Telecom partner on generative AI and the Internet of Things\n\nThe companies will use artificial intelligence, 5G SA and edge computing. The SAID protocol and Cloudflare are unrelated.",
    );
    expect(draft.technologies).toEqual(["AI", "IoT", "5G", "Edge computing"]);
  });

  it("reads a disclosed value in minor-unit precision and skips valuations", () => {
    expect(
      run("Beta Labs raised $1.5 billion from Microsoft, valuing it at $7 billion.").draft.value,
    ).toEqual({
      amount: "1500000000.00",
      currency: "USD",
    });
    expect(run("SK Telecom and Microsoft agreed a 2.4 trillion won cloud deal.").draft.value).toEqual({
      amount: "2400000000000",
      currency: "KRW",
    });
  });
});

describe("quotes", () => {
  const q = (text: string, g: Gazetteer = gazetteer) =>
    extractArticle({ text }, g).draft.quotes.map((x) => [
      x.text,
      x.speaker,
      x.speakerTitle,
      x.speakerCompany,
    ]);

  it('reads "…," said X, title at Y', () => {
    expect(
      q(
        'Microsoft and SK Telecom signed a deal.\n\n"We are proud of this partnership with them," said Jane Doe, senior vice president of Cloud at Microsoft.',
      ),
    ).toEqual([
      [
        "We are proud of this partnership with them.",
        "Jane Doe",
        "senior vice president of Cloud",
        "Microsoft",
      ],
    ]);
  });

  it("reads X, title, said: “…” and present-tense says", () => {
    expect(
      q(
        "Microsoft and SK Telecom signed a deal.\n\nJohn Roe, chief technology officer of SK Telecom, said: “This is a big step for our customers.”\n\n“It will take years to build,” says Roe.",
      ),
    ).toEqual([
      ["This is a big step for our customers.", "John Roe", "chief technology officer", "SK Telecom"],
      ["It will take years to build.", "John Roe", "chief technology officer", "SK Telecom"],
    ]);
  });

  it("reads single quotes, company TITLE Name, and pronouns", () => {
    expect(
      q(
        "Microsoft and SK Telecom signed a deal.\n\nMicrosoft CEO Ann Lee praised the deal. 'This partnership is a great step forward,' she said.",
      ),
    ).toEqual([["This partnership is a great step forward.", "Ann Lee", "CEO", "Microsoft"]]);
  });

  it("joins split quotes and keeps multi-paragraph quotes with their speaker", () => {
    const text = [
      "Microsoft and NVIDIA signed a deal.",
      "“We are excited,” said Sam Park, head of AI at NVIDIA, “to extend our relationship with Microsoft.”",
      '"The first part of a long statement runs here.',
      '"And the second paragraph of it ends here," Park added.',
    ].join("\n\n");
    expect(q(text).map(([t, s]) => [t, s])).toEqual([
      ["We are excited to extend our relationship with Microsoft.", "Sam Park"],
      ["The first part of a long statement runs here.", "Sam Park"],
      ["And the second paragraph of it ends here.", "Sam Park"],
    ]);
  });

  it("reads according to X and a dash attribution", () => {
    expect(
      q(
        'Microsoft and SK Telecom signed a deal.\n\n"This deal changes how we build networks," according to Jane Doe, CEO of SK Telecom.',
      ),
    ).toEqual([["This deal changes how we build networks.", "Jane Doe", "CEO", "SK Telecom"]]);
    expect(
      q(
        "Microsoft and SK Telecom signed a deal.\n\n“This deal changes how we build networks.” — Jane Doe, CEO of SK Telecom",
      ),
    ).toEqual([["This deal changes how we build networks.", "Jane Doe", "CEO", "SK Telecom"]]);
  });

  it("takes a company as speaker", () => {
    expect(
      q(
        'Microsoft and SK Telecom signed a deal.\n\n"The venture will start testing next year in Seoul," SK Telecom said in a statement.',
      ),
    ).toEqual([["The venture will start testing next year in Seoul.", "SK Telecom", null, "SK Telecom"]]);
  });

  it("ignores short scare quotes and quotes without a speaker", () => {
    expect(
      q(
        'Microsoft and SK Telecom signed a deal worth "substantial" sums.\n\nThe plan is called "a new level of customer experience in media".',
      ),
    ).toEqual([]);
  });

  it("corrects a misspelt speaker to a known one, and never to a third name", () => {
    const text =
      "Microsoft and SK Telecom signed a deal.\n\nSK Telecom CEO Jark Jung-ho welcomed it. “This deal gives us an edge in the 5G market,” he said.";
    const known = {
      ...gazetteer,
      speakers: [{ name: "Park Jung-ho", title: "President and CEO", company: "SK Telecom" }],
    };
    expect(q(text)[0]!.slice(1)).toEqual(["Jark Jung-ho", "CEO", "SK Telecom"]);
    expect(q(text, known)[0]!.slice(1)).toEqual(["Park Jung-ho", "CEO", "SK Telecom"]);
    const unrelated = {
      ...gazetteer,
      speakers: [{ name: "Satya Nadella", title: "CEO", company: "Microsoft" }],
    };
    expect(q(text, unrelated)[0]![1]).toBe("Jark Jung-ho");
  });
});

describe("draft and evidence", () => {
  it("gives every filled field an offset into the article text", () => {
    const text =
      "Microsoft and SK Telecom sign MoU on 5G\n\nSEOUL, May 14 (Yonhap) -- Microsoft and SK Telecom said Monday they signed a memorandum of understanding on 5G and AI.\n\n“This is a big day for both of our companies,” said Jane Doe, CEO of SK Telecom.";
    const r = extractArticle({ text, url: "https://example.org/a", publishedOn: "2019-05-14" }, gazetteer);
    expect(r.draft.title).toBe("Microsoft and SK Telecom sign MoU on 5G");
    expect(r.draft.summary).toMatch(/^Microsoft and SK Telecom said Monday/);
    expect(r.draft.sources).toEqual([
      {
        url: "https://example.org/a",
        title: "Microsoft and SK Telecom sign MoU on 5G",
        publisher: null,
        publishedOn: "2019-05-14",
      },
    ]);
    for (const key of [
      "title",
      "announcedOn",
      "types",
      "parties.0.company",
      "parties.1.company",
      "technologies.0",
      "quotes.0.text",
      "quotes.0.speaker",
    ]) {
      const e = r.evidence[key];
      expect(e, key).toBeDefined();
      expect(text.slice(e!.start, e!.end)).toBe(e!.snippet);
      expect(e!.confidence).toBeGreaterThan(0);
    }
    expect(r.companies.map((c) => [c.name, c.match?.slug])).toEqual([
      ["Microsoft", "microsoft"],
      ["SK Telecom", "sk-telecom"],
    ]);
  });
});

describe("layouts", () => {
  it("joins hard-wrapped newsletter lines and skips the masthead", () => {
    const text = [
      "Subject: Weekly deals digest",
      "Published 3:14 PM EST, Mon March 4, 2024",
      "",
      "Microsoft and SK Telecom sign cloud partnership",
      "",
      "Microsoft Corp. and SK Telecom Co., Ltd. said on Monday they had signed a five-year",
      "partnership to offer sovereign cloud services to public sector customers in",
      "Korea, building on the data centers that already host the workloads of several",
      "ministries and agencies across the country, the two companies said in Seoul.",
      "",
      '"Sovereignty is the most important requirement for the public sector in',
      'Korea," said Jane Doe, chief executive of SK Telecom. "With Microsoft',
      'we can offer it at scale."',
    ].join("\n");
    const { draft } = run(text);
    expect(draft.title).toBe("Microsoft and SK Telecom sign cloud partnership");
    expect(draft.announcedOn).toBe("2024-03-04");
    expect(draft.summary).toMatch(
      /^Microsoft Corp\. and SK Telecom Co\., Ltd\. said on Monday they had signed a five-year partnership/,
    );
    expect(draft.quotes.map((q) => [q.text, q.speaker])).toEqual([
      ["Sovereignty is the most important requirement for the public sector in Korea.", "Jane Doe"],
      ["With Microsoft we can offer it at scale.", "Jane Doe"],
    ]);
  });

  it("treats a bulleted list of headlines as a table of contents", () => {
    const text = [
      "The Telecom Brief — Week 12",
      "In this issue:",
      "• Samsung and NVIDIA expand AI deal",
      "• Microsoft picks AT&T for 5G",
      "Samsung and NVIDIA expand AI deal",
      "Samsung has signed a multi-year agreement with NVIDIA to expand its AI chip supply, the companies said.",
    ].join("\n");
    const { draft } = run(text);
    expect(draft.title).toBe("Samsung and NVIDIA expand AI deal");
    expect(draft.parties.map((p) => p.company)).toEqual(["Samsung Electronics", "NVIDIA"]);
  });
});

describe("limits of POST /api/deals", () => {
  it("keeps at most 50 quotes and clips a runaway title", () => {
    const quotes = Array.from(
      { length: 60 },
      (_, i) => `"This is statement number ${i} about the deal," said Jane Doe, CEO of SK Telecom.`,
    );
    const r = extractArticle(
      { text: ["Microsoft and SK Telecom sign a deal.", ...quotes].join("\n\n"), title: "word ".repeat(200) },
      gazetteer,
    );
    expect(r.draft.quotes).toHaveLength(50);
    expect(r.warnings).toContain("Only the first 50 quotes were kept.");
    expect(r.draft.title!.length).toBeLessThanOrEqual(300);
  });
});
