import { describe, expect, it } from "vitest";
import { classifyBinding, classifyTypes, findTechnologies, findValue } from "./classify";

const zone = (text: string, start = 0) => ({ text, start, end: start + text.length, block: 0 });

describe("classifyTypes", () => {
  it.each([
    ["Toyota and Panasonic to set up joint venture for EV batteries", "joint_venture"],
    ["Microsoft to buy LinkedIn for $26.2 billion", "acquisition"],
    ["Samsung and Google sign global patent cross-license agreement", "licensing"],
    ["Uber's self-driving unit raises $1 billion from Toyota", "investment"],
    ["SK Telecom, Microsoft ink MOU covering 5G", "mou"],
    ["AT&T and IBM strike multi-year strategic alliance", "strategic_partnership"],
    ["Deutsche Telekom selects Nokia as its Open RAN supplier", "commercial_agreement"],
    ["Acme and Beta sign joint research agreement on batteries", "rd_collaboration"],
    ["Acme and Beta sign a deal to share networks", "commercial_agreement"],
  ])("%s → %s", (headline, type) => {
    expect(classifyTypes(headline, zone(headline), [], []).types[0]).toBe(type);
  });

  // Issue 21: buying power or a stake is no acquisition; a type comes from the whole article.
  it.each([
    ["Google signed an agreement to buy nuclear energy from small reactors", "commercial_agreement"],
    ["bp has signed an agreement to buy a 50 percent stake in two wind projects", "investment"],
    ["Qualcomm and Meta are working together to run Llama 2 on phones", "strategic_partnership"],
  ])("%s → %s", (lead, type) => {
    expect(classifyTypes(lead, null, [zone(lead)], []).types[0]).toBe(type);
  });

  // Issue 21 (blind-1 misses): the cues by which an article names its kind of deal in other words.
  it.each([
    ["Saudi Aramco has agreed to buy a 70 percent stake in SABIC from the fund", "acquisition"],
    [
      "Baidu said it would set up a company to make electric vehicles, with Geely as its partner",
      "joint_venture",
    ],
    ["Grab and Singtel have formed a consortium to apply for a digital full bank licence", "joint_venture"],
    [
      "Nestlé and Starbucks announced an alliance under which Nestlé will gain the perpetual rights to market Starbucks products",
      "licensing",
    ],
    [
      "GSK and CureVac announced a strategic collaboration to research, develop and manufacture vaccines",
      "rd_collaboration",
    ],
    [
      "Airbus, Rolls-Royce and Siemens have joined forces to build a hybrid-electric test aircraft",
      "rd_collaboration",
    ],
    ["Zoom has chosen Oracle as a cloud infrastructure provider", "commercial_agreement"],
  ])("%s → %s", (lead, type) => {
    expect(classifyTypes(lead, null, [zone(lead)], []).types[0]).toBe(type);
  });

  it("takes no permit for a licensing deal and no stake given in return for an investment", () => {
    const permit = "Grab and Singtel have teamed up to apply for a digital full bank licence";
    expect(classifyTypes(permit, null, [zone(permit)], []).types).not.toContain("licensing");
    const lead =
      "Aston Martin has agreed a deal with Lucid to use its motors, giving Lucid a stake in the company.";
    const next = "Under the supply agreement, Lucid will provide battery technology.";
    const lead2 = zone(next, lead.length + 1);
    expect(classifyTypes(`${lead} ${next}`, null, [zone(lead), lead2], []).types[0]).toBe(
      "commercial_agreement",
    );
  });

  it("prefers the agreement the next sentence names to a bare 'partnership'", () => {
    const lead =
      "Isomorphic Labs has signed its first pharmaceutical partnerships, with Eli Lilly and Novartis.";
    const next =
      "The company announced that it had agreed research collaborations with each of the drugmakers.";
    const result = classifyTypes(`${lead} ${next}`, null, [zone(lead), zone(next, lead.length + 1)], []);
    expect(result.types[0]).toBe("rd_collaboration");
  });

  it("finds the MoU the sentence after the lead names behind a bare 'partnership', but no acquisition there", () => {
    const lead =
      "Toyota and Suzuki have agreed to take their talks on a possible business partnership further.";
    const next = "Since October the companies have been sharing the challenges each faces.";
    const body = "They have now concluded a memorandum under which they will examine areas to work on.";
    const zones = [zone(lead), zone(next, lead.length + 1)];
    const third = zone(body, lead.length + next.length + 2);
    expect(classifyTypes([lead, next, body].join(" "), null, zones, [third]).types[0]).toBe("mou");
    const bought = "The deal follows Toyota's acquisition of a stake in a start-up last year.";
    const other = zone(bought, lead.length + next.length + 2);
    expect(classifyTypes([lead, next, bought].join(" "), null, zones, [other]).types[0]).toBe(
      "strategic_partnership",
    );
  });

  it("names an unstated deal after the agreement the body names", () => {
    const lead = "Netflix and TKO said they had signed a 10-year agreement for Raw.";
    const body = "Netflix has the option to extend the licensing agreement for another 10 years.";
    const result = classifyTypes(`${lead} ${body}`, null, [zone(lead)], [zone(body, lead.length + 1)]);
    expect(result.types[0]).toBe("licensing");
  });

  it("reads the type from the rest of the article when the headline and lead name none", () => {
    const lead = "DISH will run its new 5G network on AWS.";
    const body = "The companies signed a memorandum of understanding in April.";
    const result = classifyTypes(`${lead} ${body}`, null, [zone(lead)], [zone(body, lead.length + 1)]);
    expect(result.types).toEqual(["mou"]);
    expect(result.primaryHit?.start).toBe(lead.length + 1 + body.indexOf("memorandum"));
  });

  it("reads a headline given apart from the text", () => {
    const title = "Google licenses Reddit's data feed for AI training";
    const lead = "Reddit has signed an agreement with Google.";
    const hit = classifyTypes(lead, { ...zone(title), outside: true }, [zone(lead)], []).primaryHit;
    expect(hit).toMatchObject({ outside: true, text: title });
    expect(classifyTypes(lead, { ...zone(title), outside: true }, [zone(lead)], []).types[0]).toBe(
      "licensing",
    );
  });

  it("never calls an acquisition a partnership too", () => {
    const h = "Cisco completes acquisition of Splunk, expanding its partnership with customers";
    expect(classifyTypes(h, zone(h), [], []).types).toEqual(["acquisition"]);
  });
});

describe("classifyBinding", () => {
  it("reads what the text says, else an MoU is non-binding", () => {
    expect(classifyBinding([zone("The MoU is not legally binding.")], ["mou"]).binding).toBe("non_binding");
    expect(classifyBinding([zone("They signed a legally binding MoU.")], ["mou"]).binding).toBe("binding");
    expect(classifyBinding([zone("They signed an MoU.")], ["mou"])).toEqual({
      binding: "non_binding",
      hit: null,
    });
    expect(classifyBinding([zone("They signed a definitive agreement.")], ["acquisition"]).binding).toBe(
      "binding",
    );
    expect(classifyBinding([zone("They agreed to work together.")], ["strategic_partnership"]).binding).toBe(
      "unknown",
    );
  });
});

describe("findTechnologies", () => {
  const areas = ["5G", "AI", "Cloud", "IoT", "Smartphones"].map((name) => ({
    slug: name.toLowerCase(),
    name,
  }));
  // Issue 21 (blind-1 misses): the common words for an area, and a phone app that is no phone deal.
  it.each([
    ["Grab and Singtel will run a digital bank for young people", "Digital financial services"],
    ["Netflix becomes the home of live programming from WWE", "Media & entertainment"],
    ["British online grocer Ocado signed a deal with Kroger", "E-commerce"],
    // Blind-3 and blind-2 misses: the business named without the area's own words.
    ["Identity management company Korvel will buy Tessel", "Cybersecurity"],
    ["Korvel will license its next-generation streaming platform to Tessel", "Media & entertainment"],
    ["Korvel has awarded the media rights to its games to Tessel", "Media & entertainment"],
    ["Tessel will become the primary payments processing partner", "Digital financial services"],
    ["Korvel will buy the largest credit card issuer", "Digital financial services"],
    ["Korvel will move the processing on its marketplace to Tessel", "E-commerce"],
  ])("%s → %s", (text, area) => {
    const all = [
      ...areas,
      ...["Digital financial services", "Media & entertainment", "E-commerce", "Cybersecurity"].map(
        (name) => ({
          slug: name,
          name,
        }),
      ),
    ];
    expect(findTechnologies(text, [zone(text)], all).map((t) => t.name)).toEqual([area]);
  });
  it("does not read a product called Marketplace as E-commerce", () => {
    const text = "Its application store will be folded into Korvel Marketplace.";
    const all = [...areas, { slug: "e-commerce", name: "E-commerce" }];
    expect(findTechnologies(text, [zone(text)], all)).toEqual([]);
  });
  it("does not read 'a smartphone app' as the Smartphones area", () => {
    const text = "Nubank offers a bank account managed entirely through a smartphone app.";
    expect(findTechnologies(text, [zone(text)], areas)).toEqual([]);
  });
  it("counts distinct places and keeps the first mention", () => {
    const text =
      "Large AI models and artificial intelligence run in the cloud, not on smartphones. AI again.";
    const found = findTechnologies(text, [zone(text)], areas);
    expect(found.map((t) => [t.name, t.count])).toEqual([
      ["AI", 3],
      ["Cloud", 1],
      ["Smartphones", 1],
    ]);
    expect(text.slice(found[0]!.hit.start, found[0]!.hit.end)).toBe("AI");
  });

  it("uses the gazetteer's own synonyms and only its areas", () => {
    const text = "Quantum computing and network slicing.";
    expect(
      findTechnologies(text, [zone(text)], [{ slug: "5g", name: "5G", synonyms: ["network slicing"] }]).map(
        (t) => t.name,
      ),
    ).toEqual(["5G"]);
  });
});

describe("findValue", () => {
  it.each([
    ["Microsoft will buy LinkedIn for $26.2 billion in cash.", { amount: "26200000000.00", currency: "USD" }],
    [
      "They will invest a combined 2.4 trillion won (US$1.8 billion).",
      { amount: "2400000000000", currency: "KRW" },
    ],
    ["The deal is worth €500 million.", { amount: "500000000.00", currency: "EUR" }],
    ["Ericsson will pay $21.00 per share.", null],
    ["Toyota will hold a 51 percent stake.", null],
  ])("%s", (sentence, value) => {
    const found = findValue([zone(sentence)]);
    expect(found ? { amount: found.amount, currency: found.currency } : null).toEqual(value);
  });
});

// Issue 21 (blind-2 misses): units merged into a new company, minority purchases, sponsorship and supply.
describe("classifyTypes (blind-2 cues)", () => {
  it.each([
    [
      "Three shipping lines said they would merge their container businesses into a new company.",
      "joint_venture",
    ],
    [
      "Korvel said it would combine its quantum computing business with Tessel, a British start-up, to form the largest standalone company in the field.",
      "joint_venture",
    ],
    ["Korvel Air will invest $1.9 billion to buy 20% of Tessel Airlines.", "investment"],
    ["Korvel will pay $400 million upfront and buy $400 million of Tessel stock.", "investment"],
    [
      "Korvel United have agreed a ten-year kit deal with Tessel, the largest sponsorship agreement in the sport.",
      "commercial_agreement",
    ],
    [
      "Under the agreement, Korvel Foods will be Tessel's preferred supplier for the patty.",
      "commercial_agreement",
    ],
    // A majority is still control.
    ["Korvel agreed to buy 70% of Tessel from its founders.", "acquisition"],
  ])("%s → %s", (lead, type) => {
    expect(classifyTypes(lead, null, [zone(lead)], []).types[0]).toBe(type);
  });
});

// Issue 21 (blind-3 misses): what a verb buys, rights that are a licence, and cues beyond a bare
// "collaboration" or "teaming up" lead.
describe("classifyTypes (blind-3 cues)", () => {
  it.each([
    ["Korvel will acquire a 20.5% stake in Tessel for $2.7 billion in cash.", "investment"],
    ["Korvel will acquire newly issued shares of Tessel for $2.15 billion.", "investment"],
    [
      "Korvel and Tessel have agreed a long-term strategic alliance to buy goods together.",
      "strategic_partnership",
    ],
    ["The league has awarded the residential rights to its Sunday package to Korvel.", "licensing"],
    ["Korvel has ordered 10,000 electric vans from Tessel.", "commercial_agreement"],
    [
      "Korvel will move the processing of payments to Tessel, its new payments processor.",
      "commercial_agreement",
    ],
    [
      "Korvel and Tessel said they would work together to discover, develop and sell new drugs.",
      "rd_collaboration",
    ],
  ])("%s → %s", (lead, type) => {
    expect(classifyTypes(lead, null, [zone(lead)], []).types[0]).toBe(type);
  });

  it("reads a collaboration to develop together as R&D, a partnership to do so as a partnership", () => {
    const head = (text: string) => ({ text, start: 0, end: text.length, outside: true });
    const lead = zone(
      "Korvel will pay Tessel up to $6.9 billion to jointly develop and commercialise its drug.",
      100,
    );
    expect(classifyTypes("", head("Korvel, Tessel strike drug collaboration"), [lead], []).types[0]).toBe(
      "rd_collaboration",
    );
    expect(classifyTypes("", head("Korvel, Tessel strike drug partnership"), [lead], []).types[0]).toBe(
      "strategic_partnership",
    );
  });

  it("reads an option to license as no licence yet", () => {
    const lead = [
      zone(
        "Korvel has agreed to pay Tessel $90 million upfront for an option to license up to five programs.",
      ),
      zone("The strategic research and development alliance includes its lead program.", 200),
    ];
    expect(classifyTypes("", null, lead, []).types[0]).toBe("rd_collaboration");
  });

  it("takes the supply the first paragraphs name behind a 'teaming up' lead", () => {
    const lead = [
      zone("Korvel is teaming up with Tessel Foods to test a meatless burger."),
      zone("It will be sold in 59 restaurants.", 100),
    ];
    const body = [
      zone("If the test goes well, Korvel plans to roll it out.", 200),
      zone("The patty is made by Tessel Foods.", 300),
      zone("Tessel Foods will supply the patties under the agreement.", 400),
    ];
    expect(classifyTypes("", null, lead, body).types[0]).toBe("commercial_agreement");
  });
});

// Issue 21, round 4: causes of the first-run misses on blind sets, as general rules (invented names).
describe("classifyTypes (first-run causes)", () => {
  it.each([
    [
      "Korvel and Tessel announce global strategic development and commercialization collaboration for KT-214",
      "rd_collaboration",
    ],
    [
      "Korvel has teamed up with Tessel Electric, a US start-up, to develop a battery-powered aircraft",
      "rd_collaboration",
    ],
    ["Korvel will purchase a 45 percent equity ownership in Tessel for $6.7 billion", "investment"],
    ["Tessel to become Korvel's shirt sponsor in 220 million euro deal", "commercial_agreement"],
  ])("%s → %s", (headline, type) => {
    expect(classifyTypes(headline, zone(headline), [], []).types[0]).toBe(type);
  });
});

describe("findTechnologies (first-run causes)", () => {
  it.each([
    ["Korvel agreed to buy Dutch digital security company Tessel", "Cybersecurity"],
    ["Korvel signs nine-year TV deals with Tessel", "Media & entertainment"],
    ["Korvel will fold Tessel's workplace chat products into its own", "Messaging"],
    ["Ride-hailing and payments firm Korvel will merge with Tessel", "Digital financial services"],
  ])("%s → %s", (text, area) => {
    const all = ["Cybersecurity", "Media & entertainment", "Messaging", "Digital financial services"].map(
      (name) => ({ slug: name, name }),
    );
    expect(findTechnologies(text, [zone(text)], all).map((t) => t.name)).toEqual([area]);
  });
});

describe("classifyTypes (businesses combined)", () => {
  it("reads two parents combining their businesses, creating a new one, as a joint venture", () => {
    const lead =
      "Korvel and Tessel announced on Monday that they would combine their book publishing businesses, Alder and Birch, creating the world's largest publisher.";
    expect(classifyTypes(lead, zone(lead), [], []).types[0]).toBe("joint_venture");
  });
});
