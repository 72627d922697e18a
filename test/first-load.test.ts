import fs from "node:fs";
import path from "node:path";
import { parseDependencyTree } from "dpdm";
import { describe, expect, it } from "vitest";

// What the dashboard sends to the browser before it is usable (target < 200 kB gzip, npm run bench).
// Classic zod is about 30 kB gzip of the browser's JavaScript; zod/mini (no methods, tree-shaken)
// a third of that. The dashboard's client modules reach the shared filter schema and the widget
// registry, so those are written with zod/mini, and nothing else the dashboard sends to the browser
// may bring classic "zod" back. Server code is free to use either.

const root = path.resolve(import.meta.dirname, "..");
const PAGES = ["app/layout.tsx", "app/(dashboard)/layout.tsx", "app/(dashboard)/page.tsx"];
const USE_CLIENT = /^\s*(?:\/\/[^\n]*\n\s*)*["']use client["']/;

/** The modules the dashboard's pages send to the browser: its "use client" modules and their imports. */
async function dashboardClientGraph({ lazy = true } = {}) {
  const tree = await parseDependencyTree(PAGES, {
    context: root,
    tsconfig: path.join(root, "tsconfig.json"),
    transform: true, // type-only imports reach no bundle
    // Lazily loaded charts still reach the browser; without them, what the first load holds.
    skipDynamicImports: !lazy,
    exclude: /(^|\/)node_modules\//,
  });
  const isClient = (file: string) =>
    /\.(ts|tsx)$/.test(file) && USE_CLIENT.test(fs.readFileSync(path.join(root, file), "utf8"));
  const seen = new Set<string>();
  const queue = Object.keys(tree).filter(isClient);
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const dep of tree[file] ?? []) if (dep.id && dep.id in tree) queue.push(dep.id);
  }
  return { files: [...seen].sort(), tree };
}

describe("the dashboard's browser code", { timeout: 60_000 }, () => {
  it("reaches the filter schema and the widget registry, and never classic zod", async () => {
    const { files, tree } = await dashboardClientGraph();
    // The walk found the modules that matter, so an empty answer below is not an empty graph.
    expect(files).toEqual(
      expect.arrayContaining(["components/charts/filter-bar.tsx", "lib/filters.ts", "lib/widgets.ts"]),
    );
    const classic = files.filter((file) => tree[file]?.some((dep) => dep.request === "zod"));
    expect(classic).toEqual([]);
  });

  it("loads the combobox (downshift, 10 kB gzip) after the page, not in its first load", async () => {
    const first = await dashboardClientGraph({ lazy: false });
    expect(first.files).toContain("components/ui/multi-select.tsx");
    const eager = first.files.filter((file) => first.tree[file]?.some((dep) => dep.request === "downshift"));
    expect(eager).toEqual([]);
    // It is still reached, lazily: the filter bar works once its code is in.
    const all = await dashboardClientGraph();
    expect(all.files).toContain("components/ui/multi-select-control.tsx");
  });
});
