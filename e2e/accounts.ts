import fs from "node:fs";
import path from "node:path";

// The accounts auth.setup.ts creates on the fresh database, shared by every spec.
export const AUTH_DIR = path.join(__dirname, ".auth");
export const PASSWORD = "a long test password";
export const ACCOUNTS = {
  admin: { name: "Olive Owner", email: "owner@atlas.test" },
  editor: { name: "Eddie Editor", email: "editor@atlas.test" },
  viewer: { name: "Vera Viewer", email: "viewer@atlas.test" },
} as const;
export type Role = keyof typeof ACCOUNTS;

export const storageState = (role: Role) => path.join(AUTH_DIR, `${role}.json`);
const tokenFile = path.join(AUTH_DIR, "editor-token.txt");

export function saveEditorToken(secret: string) {
  fs.mkdirSync(AUTH_DIR, { recursive: true });
  fs.writeFileSync(tokenFile, secret);
}

/** An editor API token, for specs that set up their data through the JSON API. */
export function editorToken(): string {
  return fs.readFileSync(tokenFile, "utf8").trim();
}
