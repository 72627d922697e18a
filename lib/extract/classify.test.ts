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
