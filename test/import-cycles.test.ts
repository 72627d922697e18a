import fs from "node:fs";
import path from "node:path";
import { parseCircular, parseDependencyTree } from "dpdm";
import { describe, expect, it } from "vitest";

// No import circle anywhere in the tree. A circle makes
// module load order matter (a value read before its module has run is undefined) and ties modules
// that should be moved apart. Type imports count too: a circle through types still means two
// modules that cannot be understood, or moved to their own folders, one without the other.

const root = path.resolve(import.meta.dirname, "..");
const FIXTURE = "test/fixtures/import-cycle";
const SKIP = new Set([
  "node_modules",
  ".next",
  ".git",
  "drizzle",
  "test-results",
  "playwright-report",
  FIXTURE,
]);

/** Every TypeScript source file of the repository, as paths relative to its root. */
function sourceFiles(dir = ""): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(file) || SKIP.has(entry.name) ? [] : sourceFiles(file);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

/** The import circles among these files, each as the list of files around it. */
async function importCircles(entries: string[]): Promise<string[][]> {
  const tree = await parseDependencyTree(entries, {
    context: root,
    tsconfig: path.join(root, "tsconfig.json"),
    transform: false, // keep type-only imports in the graph
    skipDynamicImports: false,
    exclude: /(^|\/)node_modules\//,
  });
  return parseCircular(tree, false);
}

describe("import circles", () => {
  it("finds the deliberate circle in the fixture, though one side imports only a type", async () => {
    const circles = await importCircles([`${FIXTURE}/left.ts`]);
    expect(circles).toEqual([[`${FIXTURE}/left.ts`, `${FIXTURE}/right.ts`]]);
  });

  it("there is none in the repository", { timeout: 120_000 }, async () => {
    const files = sourceFiles();
    expect(files).toContain("db/directory/merges.ts");
    expect((await importCircles(files)).map((circle) => circle.join(" → "))).toEqual([]);
  });
});
