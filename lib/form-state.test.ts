import { describe, expect, it } from "vitest";
import { errorsSince } from "./form-state";

describe("errorsSince", () => {
  const sent = { title: "", announcedOn: "2024-02-30", parties: [{ company: "A" }, { company: "" }] };
  const server = {
    title: ["Enter a title"],
    announcedOn: ["Enter a real calendar date as YYYY-MM-DD"],
    "parties.1.company": ["Name the company"],
    _form: ["The form lost track of the version; reload the page."],
  };

  it("keeps every error while nothing has changed", () => {
    expect(errorsSince(server, sent, structuredClone(sent), {})).toEqual(server);
  });

  it("drops a field's error once its new value is valid, and only that one", () => {
    const current = { ...sent, announcedOn: "2024-02-20", parties: [{ company: "A" }, { company: "B" }] };
    expect(errorsSince(server, sent, current, { title: ["Enter a title"] })).toEqual({
      title: ["Enter a title"],
      _form: server._form,
    });
  });

  it("shows the recheck's message for a field changed to another invalid value", () => {
    const current = { ...sent, announcedOn: "2024-13-01" };
    const recheck = { announcedOn: ["Still not a date"], title: ["Enter a title"] };
    expect(errorsSince(server, sent, current, recheck).announcedOn).toEqual(["Still not a date"]);
  });

  it("keeps server-only errors (the recheck cannot know them) until the field changes", () => {
    const only = { expandsDealId: ["No deal 99"] };
    expect(errorsSince(only, { expandsDealId: 99 }, { expandsDealId: 99 }, {})).toEqual(only);
    expect(errorsSince(only, { expandsDealId: 99 }, { expandsDealId: 98 }, {})).toEqual({});
  });
});
