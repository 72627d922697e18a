import { TYPE_LABELS, type DealType } from "./enums";

// Atom 1.0 (RFC 4287) for a list of deals: the feed and every entry carry the required id, title and
// updated; the feed names its author, so entries need not; each entry links to its deal.

export type AtomDeal = {
  id: number;
  title: string;
  announcedOn: string;
  summary: string;
  types: DealType[];
  parties: string[];
  updatedAt: string;
  createdAt: string;
};

export type AtomFeed = {
  /** The app's public origin, e.g. https://atlas.example.org */
  origin: string;
  /** The feed's own path (without the key), which also makes its id. */
  selfPath: string;
  /** The page the feed follows, for the alternate link. */
  pagePath: string;
  title: string;
  deals: AtomDeal[];
  /** The feed's updated time when it has no entries. */
  emptyUpdated: string;
};

const escapeXml = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

/** The newest updated time of the deals, or `fallback`. */
export function feedUpdated(deals: AtomDeal[], fallback: string): string {
  return deals.reduce(
    (newest, d) => (d.updatedAt > newest ? d.updatedAt : newest),
    deals.length ? "" : fallback,
  );
}

export function renderAtom(feed: AtomFeed): string {
  const e = escapeXml;
  const entries = feed.deals.map((d) => {
    const link = `${feed.origin}/deals/${d.id}`;
    const types = d.types.map((t) => TYPE_LABELS[t]).join(", ");
    const text = [
      `Announced ${d.announcedOn}.`,
      d.parties.length ? `Parties: ${d.parties.join(", ")}.` : "",
      types ? `Types: ${types}.` : "",
      d.summary,
    ]
      .filter(Boolean)
      .join(" ");
    return [
      "  <entry>",
      `    <id>${e(link)}</id>`,
      `    <title>${e(d.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${e(link)}"/>`,
      `    <published>${e(d.createdAt)}</published>`,
      `    <updated>${e(d.updatedAt)}</updated>`,
      ...d.types.map((t) => `    <category term="${e(t)}" label="${e(TYPE_LABELS[t])}"/>`),
      `    <summary type="text">${e(text)}</summary>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${e(feed.origin + feed.selfPath)}</id>`,
    `  <title>${e(feed.title)}</title>`,
    `  <updated>${e(feedUpdated(feed.deals, feed.emptyUpdated))}</updated>`,
    "  <author><name>Partnership Atlas</name></author>",
    `  <link rel="alternate" type="text/html" href="${e(feed.origin + feed.pagePath)}"/>`,
    `  <generator>Partnership Atlas</generator>`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
