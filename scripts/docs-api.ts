import fs from "node:fs";
import path from "node:path";
import { renderApiMarkdown } from "@/server/openapi-markdown";
import { openApiDocument } from "@/server/openapi";

// Writes docs/api.md from the OpenAPI document; test/openapi.test.ts fails while it is out of date.
const target = path.join(import.meta.dirname, "..", "docs", "api.md");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderApiMarkdown(JSON.parse(JSON.stringify(openApiDocument()))));
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
