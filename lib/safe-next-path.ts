// Where to go after sign-in. Browsers treat "\" as "/", drop tabs and newlines, and resolve
// "//host" as another site, so a prefix check is not enough: resolve the path against a fixed
// origin, as a browser would, and keep it only if it stays on that origin.

const BASE = "http://atlas.invalid";

/** The same-origin path (with query and hash) that `next` names, or "/" when it names anything else. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return "/";
  // Control characters and backslashes have no business in a path we produced ourselves.
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = url.pathname + url.search + url.hash;
  // A path that decodes to "//host" or "/\host" is the same trick one decoding later.
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return "/";
  }
  if (/^[/\\]{2}/.test(decoded) || /^\/[\s\u0000-\u001f]*[/\\]/.test(decoded)) return "/";
  return path;
}
