import { describe, expect, it } from "vitest";
import { splitTitle } from "./quotes";

const known: Record<string, string> = {
  "sk telecom": "SK Telecom",
  nokia: "Nokia",
  "nokia technologies": "Nokia",
  ibm: "IBM",
  mercedesbenz: "Mercedes-Benz",
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
  ])("%s", (phrase, title, company) => {
    expect(splitTitle(phrase, isOrg)).toEqual({ title, company });
  });
});
