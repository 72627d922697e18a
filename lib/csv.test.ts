import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { BOM, csvFile, csvRow, guardCell, unguardCell } from "./csv";

const parseOne = (line: string) => parse(line, { bom: true, relax_quotes: false }) as string[][];

describe("csvRow", () => {
  it("quotes only what needs quoting and doubles embedded quotes, with CRLF line ends", () => {
    expect(csvRow(["plain", "a,b", 'say "hi"', "two\nlines", 42, null])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",42,\r\n',
    );
  });

  it("guards cells that would run as formulas, in text only", () => {
    for (const hostile of [
      "=1+1",
      "+SUM(A1)",
      "-2+3",
      "@cmd",
      "\tx",
      "\rx",
      "\nx",
      "＝1",
      "＋1",
      "－1",
      "＠x",
    ]) {
      expect(parseOne(csvRow([hostile]))[0]![0]).toBe(`'${hostile}`);
    }
    expect(csvRow([-12.5, 0])).toBe("-12.5,0\r\n");
    expect(csvRow(["Microsoft (partner); SK Telecom (partner)"])).toBe(
      "Microsoft (partner); SK Telecom (partner)\r\n",
    );
  });

  it("writes UTF-8 text as is, with an optional BOM for Excel", () => {
    const file = csvFile(["name"], [["SK텔레콤"]], { bom: true });
    expect(file.startsWith(BOM)).toBe(true);
    expect(parseOne(file)).toEqual([["name"], ["SK텔레콤"]]);
  });
});

describe("round trip", () => {
  it("any string survives write, parse and unguard", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 6 }), (cells) => {
        const [parsed] = parseOne(csvRow(cells));
        expect(parsed!.map(unguardCell)).toEqual(cells);
      }),
      { numRuns: 500 },
    );
  });

  it("guarding is undone exactly", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(unguardCell(guardCell(s))).toBe(s);
      }),
    );
  });
});
