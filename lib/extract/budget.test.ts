import fs from "node:fs";
import fc from "fast-check";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { HTML_LIMITS, htmlBudgetProblem, measureHtml } from "./budget";

const unlimited = { maxDepth: Infinity, maxElements: Infinity };

/** What the real parser builds: its element count and deepest nesting. */
function parsedShape(html: string) {
  const { document } = parseHTML(html);
  let elements = 0;
  let depth = 0;
  const walk = (node: { children?: ArrayLike<unknown> }, level: number) => {
    for (const child of Array.from(node.children ?? [])) {
      elements++;
      depth = Math.max(depth, level + 1);
      walk(child as { children?: ArrayLike<unknown> }, level + 1);
    }
  };
  walk(document as unknown as { children: ArrayLike<unknown> }, 0);
  return { elements, depth };
}

const nested = (levels: number) =>
  `<html><body>${"<div>".repeat(levels)}x${"</div>".repeat(levels)}</body></html>`;

describe("measureHtml", () => {
  it("counts the tree linkedom builds from tag soup: implied closes, void and raw-text elements", () => {
    const names = ["div", "p", "li", "ul", "td", "tr", "table", "span", "h1", "option", "select", "svg", "b"];
    const token = fc.oneof(
      fc.constantFrom(...names).map((n) => `<${n}>`),
      fc.constantFrom(...names, "br", "x").map((n) => `</${n}>`),
      fc.constantFrom("<br>", "<img src='a>b'>", '<a href="x>">', "<g/>", "<div/>", "<input>", "<hr>"),
      fc.constantFrom("<script>if (a<b) '<div><div>'</script>", "<style>p>a{}</style>", "<title><p></title>"),
      fc.constantFrom(
        "text",
        "a < b",
        "<!-- <div> -->",
        "<!doctype html>",
        "</ >",
        "<?xml?>",
        "<![CDATA[<p>]]>",
      ),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        const html = tokens.join("");
        const { elements, depth } = measureHtml(html, unlimited);
        expect({ elements, depth }, html).toEqual(parsedShape(html));
      }),
      { numRuns: 400 },
    );
  });

  it("agrees with linkedom on the real article pages of the fixtures", () => {
    const dir = new URL("../../test/fixtures/extraction-dev/articles/", import.meta.url);
    const pages = fs.readdirSync(dir).filter((f) => f.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const html = fs.readFileSync(new URL(page, dir), "utf8");
      const { elements, depth } = measureHtml(html, unlimited);
      expect({ elements, depth }, page).toEqual(parsedShape(html));
      expect(htmlBudgetProblem(html)).toBeNull();
    }
  });

  it("refuses 5,000 nested <div>s by depth, and a flood of flat elements by count", () => {
    expect(measureHtml(nested(5000)).over).toBe("depth");
    expect(htmlBudgetProblem(nested(5000))).toMatch(/more than 200 levels deep/);
    expect(measureHtml(nested(HTML_LIMITS.maxDepth - 2)).over).toBeNull(); // html and body are levels too
    expect(htmlBudgetProblem("<p>a</p>".repeat(HTML_LIMITS.maxElements + 1))).toMatch(
      /more than 50,000 elements/,
    );
    expect(htmlBudgetProblem("<p>a</p>".repeat(HTML_LIMITS.maxElements))).toBeNull();
  });

  it("is one linear pass: a megabyte of hostile markup is measured in well under a second", () => {
    const hostile: [string, "depth" | "elements" | null][] = [
      ["<div>".repeat(180) + "</nope>".repeat(150_000), null], // end tags matching nothing, deep stack
      ["<p>".repeat(200_000), "elements"], // every <p> closes the one before: flat, but too many
      [`<a title="${"<div>".repeat(200_000)}">`, null], // markup inside an attribute is not markup
      [`<script>${"<div>".repeat(200_000)}`, null], // an unterminated script is text to the end
      ["<".repeat(1_000_000), null],
    ];
    for (const [html, over] of hostile) {
      const started = performance.now();
      const shape = measureHtml(html);
      // About 100 ms here; the bound leaves room for a busy machine, not for a quadratic pass.
      expect(performance.now() - started, html.slice(0, 40)).toBeLessThan(1000);
      expect(shape.over, html.slice(0, 40)).toBe(over);
    }
  });
});
