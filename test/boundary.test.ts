import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The line between code that may reach the browser (components/, lib/) and server-only code is an
// ESLint rule; this proves the rule is there and bites, whatever else changes in the config.

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

// Server files are linted with type information (the floating-promise rules): the first one builds
// a TypeScript program, which takes seconds.
describe("server/client boundary", { timeout: 60_000 }, () => {
  it("refuses server-only imports in components and lib", async () => {
    for (const [file, code] of [
      ["components/x.tsx", 'import { getDb } from "@/db/core/index";\nexport const x = getDb;\n'],
      ["components/x.tsx", 'import { listDeals } from "@/db/deals/deals";\nexport const x = listDeals;\n'],
      ["lib/x.ts", 'import { authorize } from "@/server/api";\nexport const x = authorize;\n'],
      [
        "components/x.tsx",
        'import { saveDeal } from "@/app/(dashboard)/deals/actions";\nexport const x = saveDeal;\n',
      ],
      ["lib/x.ts", 'import Database from "better-sqlite3";\nexport const x = Database;\n'],
    ]) {
      expect(await problems(file!, code!), `${file}: ${code}`).toHaveLength(1);
    }
  });

  it("allows result types, lib and components there, and anything in server code", async () => {
    expect(
      await problems(
        "components/x.tsx",
        'import type { DealRecord } from "@/db/types";\nexport type X = DealRecord;\n',
      ),
    ).toEqual([]);
    expect(
      await problems("lib/x.ts", 'import { DEAL_TYPES } from "@/lib/enums";\nexport const x = DEAL_TYPES;\n'),
    ).toEqual([]);
    expect(
      await problems("server/x.ts", 'import { getDb } from "@/db/core/index";\nexport const x = getDb;\n'),
    ).toEqual([]);
  });
});
