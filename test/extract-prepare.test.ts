import { describe, expect, it } from "vitest";
import { extractWorkerCount, prepareExtraction, runInWorker } from "@/server/extract-pool";

// Opening "Add from article" starts the extraction worker, so the editor's first draft does not
// wait for it to boot; opening it again, or drafting, does not start another.
describe("prepareExtraction", () => {
  it("starts one worker ahead of the first draft, and the draft runs on it", async () => {
    expect(extractWorkerCount()).toBe(0);
    prepareExtraction();
    prepareExtraction();
    expect(extractWorkerCount()).toBe(1);
    const result = await runInWorker(
      { article: { text: "Microsoft and SK Telecom signed a memorandum of understanding on 5G on Monday." } },
      { companies: [], technologies: [] },
      "text",
    );
    expect(result.result.draft.types).toContain("mou");
    expect(extractWorkerCount()).toBe(1);
  });
});
