import { describe, expect, it } from "vitest";
import { lineFeeds } from "../bench/record";

// The bench counts an export's rows from the line feeds of its streamed chunks.
describe("lineFeeds", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it.each([
    ["", 0],
    ["no line", 0],
    ["\n", 1],
    ["a\nb\n", 2],
    ["\n\n\nx", 3],
    ['"a cell\r\nwith a break",2\n', 2],
  ])("%j has %i", (text, expected) => {
    expect(lineFeeds(bytes(text))).toBe(expected);
  });
});
