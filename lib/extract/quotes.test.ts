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
  corvex: "Corvex",
  "korvel quantum": "Korvel Quantum Computing",
  "korvel quantum computing": "Korvel Quantum Computing",
  zentrix: "zentrix",
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
    ["President and CEO of the IBM", "President and CEO", "IBM"],
    [
      "vice president and general manager of Nokia Technologies, the company's licensing unit",
      "vice president and general manager of Nokia Technologies",
      "Nokia",
    ],
    // Issue 21 (blind-1): a plural possessive, and a unit named after its company.
    ["Siemens' chief commercial officer", "chief commercial officer", "Siemens"],
    ["President of IBM Consulting", "President of IBM Consulting", "IBM"],
    // Issue 21 (blind-2): degrees before the title, the company after its last comma, a lower-case name.
    ["M.D., Ph.D., Vice Chairman and President, Corvex", "Vice Chairman and President", "Corvex"],
    ["chief executive officer of zentrix", "chief executive officer", "zentrix"],
    // A short form of the company's own name is no unit of it.
    [
      "founder and chief executive of Korvel Quantum",
      "founder and chief executive",
      "Korvel Quantum Computing",
    ],
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

// Issue 21 (blind-1 misses): partial quotes as the object of a verb, and "Surname said:".
describe("more quote forms", () => {
  const gazetteer = fixtureGazetteer();
  const quotes = (text: string) =>
    extractArticle({ text }, gazetteer).draft.quotes.map((q) => [q.text, q.speaker]);
  const lead = "Volkswagen and Rivian Automotive said on Tuesday they will form a joint venture.\n\n";

  it("a short phrase quoted as the verb's object, not a term in scare quotes", () => {
    const text = `${lead}Volkswagen chief executive Oliver Blume called the venture "a landmark" for the industry. Rivian chief executive RJ Scaringe called the deal "transformative." Analysts said the "software-defined" approach was costly.`;
    expect(quotes(text)).toEqual([
      ["a landmark", "Oliver Blume"],
      ["transformative.", "RJ Scaringe"],
    ]);
  });

  it("a partial quote that ends the sentence inside its marks, after 'he wrote that'", () => {
    const text = `${lead}RJ Scaringe, Rivian's chief executive, spoke at the launch. In a blog post he wrote that the venture would let Rivian "move faster toward cars that improve every month."`;
    expect(quotes(text)).toEqual([["move faster toward cars that improve every month.", "RJ Scaringe"]]);
  });

  it("the second half of a split quote is not a partial quote of its own", () => {
    const text = `${lead}"We're excited to be working with Volkswagen," Rivian chief executive RJ Scaringe added, "to bring our architecture to more vehicles."`;
    expect(quotes(text)).toEqual([
      [
        "We're excited to be working with Volkswagen to bring our architecture to more vehicles.",
        "RJ Scaringe",
      ],
    ]);
  });

  it("a new speaker introduced with a colon, after another speaker's quote", () => {
    const text = `${lead}"We want to combine our strengths," said Oliver Blume, chief executive of Volkswagen.\n\nRJ Scaringe, chief executive of Rivian Automotive, the company's founder, said:\n\n"Volkswagen and Rivian each bring a century of experience between them."`;
    expect(quotes(text).map((q) => q[1])).toEqual(["Oliver Blume", "RJ Scaringe"]);
  });

  it("the person a sentence opens with, not the company ending her title ('… of Rivian China, said')", () => {
    const text = `${lead}Jane Liu, chairman and CEO of Rivian China, said the tie-up was "a giant step" for the company.`;
    expect(quotes(text)).toEqual([["a giant step", "Jane Liu"]]);
  });

  it("a surname introducing a quote with a colon ('Blume said: …')", () => {
    const text = `${lead}Volkswagen chief executive Oliver Blume said the venture fits the strategy. Blume said: "This is a transformative step for Volkswagen. It will change how we build cars."`;
    expect(quotes(text).map((q) => q[1])).toEqual(["Oliver Blume"]);
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

// Issue 21 (blind-1 misses): how articles give a speaker's title and company.
describe("titles and companies of speakers", () => {
  const speakers = (text: string) =>
    extractArticle({ text }, fixtureGazetteer()).draft.quotes.map((q) => [
      q.speaker,
      q.speakerTitle,
      q.speakerCompany,
    ]);
  const lead =
    "Grab and Singtel have formed a consortium to apply for a digital bank licence, the companies said.\n\n";

  it("a possessive company and a list of roles before the name", () => {
    expect(
      speakers(
        `${lead}"Our vision is for people to manage their money with ease," Grab's group chief executive and co-founder Anthony Tan said.`,
      ),
    ).toEqual([["Anthony Tan", "group chief executive and co-founder", "Grab"]]);
    expect(
      speakers(
        `${lead}Singtel co-founder, chairman and chief executive Robin Tan said the venture would grow. "We will build it together," he said.`,
      ),
    ).toEqual([["Robin Tan", "co-founder, chairman and chief executive", "Singtel"]]);
  });

  it("a list of roles after the name", () => {
    expect(
      speakers(
        `${lead}"We are very pleased to welcome Singtel as a partner," said Anthony Tan, founder, chairman and chief executive officer of Grab.`,
      ),
    ).toEqual([["Anthony Tan", "founder, chairman and chief executive officer", "Grab"]]);
    // A list does not run on over the sentence's end into the next speaker's title.
    expect(
      speakers(
        `${lead}"Singtel's network is a breakthrough for us," said Anthony Tan, CEO of Grab. Chua Sock Koong, co-founder and CEO of Singtel, said: "Grab is the ideal partner for this bank."`,
      ),
    ).toEqual([
      ["Anthony Tan", "CEO", "Grab"],
      ["Chua Sock Koong", "co-founder and CEO", "Singtel"],
    ]);
  });

  it("'its chief executive' belongs to the sentence's company", () => {
    expect(
      speakers(
        `${lead}Grab was founded in 2012 by Anthony Tan, its chief executive, who still runs it.\n\n"These partnerships are a major milestone for us," Tan said in an interview.`,
      ),
    ).toEqual([["Anthony Tan", "chief executive", "Grab"]]);
  });

  it("a surname after an honorific, at either end of the name", () => {
    expect(
      speakers(
        `${lead}Singtel group chief executive Chua Sock Koong said the partners had many customers. "Together, we can bring a truly digital bank to them," Ms Chua said.`,
      ),
    ).toEqual([["Chua Sock Koong", "group chief executive", "Singtel"]]);
  });

  it("title words are never a name ('Rolls-Royce Chief Technology Officer')", () => {
    expect(
      speakers(
        `${lead}Paul Stein, Singtel Chief Technology Officer, said the project would test new systems. "Hybrid propulsion will change aviation," he said.`,
      ),
    ).toEqual([["Paul Stein", "Chief Technology Officer", "Singtel"]]);
  });

  it("a later word of a party's name is that party ('Aramco President and CEO …')", () => {
    const text =
      'Saudi Aramco has agreed to buy a 70 percent stake in SABIC, the oil giant said.\n\nAramco President and CEO Amin Nasser said the deal fits the strategy. "This is a transformative step for us," he said.';
    expect(speakers(text)).toEqual([["Amin Nasser", "President and CEO", "Saudi Aramco"]]);
  });

  it("a company's initials are its short form ('HPE' for Hewlett Packard Enterprise)", () => {
    const text =
      'Hewlett Packard Enterprise said on Tuesday it would buy Juniper Networks for $14 billion.\n\nHPE Chief Executive Antonio Neri said the deal would double the business. "AI is the most disruptive workload of our time," Neri said.';
    expect(speakers(text)).toEqual([["Antonio Neri", "Chief Executive", "Hewlett Packard Enterprise"]]);
  });
});

// Issue 21 (blind-2): speakers named in forms the first sets lacked.
describe("speakers named with a company after the title, or with a bare initial", () => {
  const gazetteer = fixtureGazetteer();
  const speakers = (text: string) =>
    extractArticle({ text }, gazetteer).draft.quotes.map((q) => [
      q.speaker,
      q.speakerTitle,
      q.speakerCompany,
    ]);

  it("reads 'Name, Title, Company.' as the company's", () => {
    const text =
      'NEW YORK, Oct. 4, 2023 -- Brightlane Interactive, Inc. (Nasdaq: BRLN) and Corvex Apparel Inc. (Nasdaq: CRVX) today announced a five-year strategic partnership.\n\n"Brightlane has built the most engaged community in fitness," said Mara Olsen, Chief Executive Officer, Corvex Apparel. "Together we can offer our members more."';
    expect(speakers(text)[0]).toEqual(["Mara Olsen", "Chief Executive Officer", "Corvex Apparel"]);
  });

  it("leaves degrees after a name out of the title", () => {
    const text =
      'Korvel Pharmaceuticals and Tessel Bio announced a research collaboration on Monday.\n\n"This collaboration brings our genetics work to a new field," said Lena Marsh, M.D., Ph.D., president and chief executive officer of Korvel Pharmaceuticals.';
    expect(speakers(text)).toEqual([
      ["Lena Marsh", "president and chief executive officer", "Korvel Pharmaceuticals"],
    ]);
  });

  it("reads a name with two particles ('Jan van de Berk, Ph.D., President … said:')", () => {
    const text =
      'Tessel Bio and Korvel Pharmaceuticals announced a research collaboration on Monday.\n\nJan van de Berk, Ph.D., President and Chief Executive Officer of Tessel Bio, said:\n\n"This agreement marks a major step for Tessel Bio as we build our own medicines."';
    expect(speakers(text)).toEqual([
      ["Jan van de Berk", "President and Chief Executive Officer", "Tessel Bio"],
    ]);
  });

  it("gives a person named without a role the role their surname is given later", () => {
    const text =
      'Korvel Software said on Monday it had agreed to acquire Tesselmail for $2 billion.\n\nTesselmail was founded in 2001 by Ada Brennan and Tom Hale. Brennan, the company\'s chief executive and co-founder, will continue to lead it.\n\n"We built Tesselmail by listening to small businesses," Brennan said.';
    expect(speakers(text)).toEqual([["Ada Brennan", "chief executive and co-founder", "Tesselmail"]]);
  });

  it("takes a single initial without a full stop as the start of a name", () => {
    const text =
      'Korvel Steel and Tessel Steel signed an agreement on Wednesday to form a joint venture.\n\nTessel Steel\'s chairman, R Venkataraman, said the venture would have the scale it needs. "We are creating a strong number two in Europe," he said.';
    expect(speakers(text)).toEqual([["R Venkataraman", "chairman", "Tessel Steel"]]);
  });
});

// Issue 21 (blind-3): a verb before the title, a civic title before the name, a possessive name.
describe("speakers (blind-3 forms)", () => {
  it.each([
    [
      "leaves the verb of speech out of a title before the name",
      'Korvel Steel will buy Tessel Steel for $14 billion.\n\n"This deal benefits all our stakeholders," added President and Chief Executive Officer Dana B. Moor of Tessel Steel.',
      "speakerTitle",
      "President and Chief Executive Officer",
    ],
    [
      "reads a commissioner's title as no part of the name",
      'The Korvel League has awarded its media rights to Tessel.\n\n"We wanted more choice for fans," League Commissioner Roger Moor said.',
      "speaker",
      "Roger Moor",
    ],
    [
      "takes a possessive that is the party's own name as that party",
      "Pellam's Pizza, Inc. (NYSE: PPZ) is teaming up with robotics company Nuvo to test delivery.\n\n\"We are excited to bring our customers driverless delivery,\" said Kevin Moor, Pellam's executive vice president.",
      "speakerCompany",
      "Pellam's Pizza",
    ],
  ] as const)("%s", (_, text, field, value) => {
    expect(extractArticle({ text }, fixtureGazetteer()).draft.quotes[0]?.[field]).toBe(value);
  });
});
