import { REVISION_ACTION_LABELS, TYPE_LABELS, type DealType, type RevisionAction } from "./enums";
import { plural } from "./plural";

// The digest e-mail's words, as HTML and as plain text from the same content; server/digests.ts
// adds the chart (a cid: attachment) and sends it.

export type DigestDeal = {
  id: number;
  title: string;
  action: string;
  parties: string[];
  types: DealType[];
  announcedOn: string | null;
};
export type DigestGroup = { label: string; href: string; deals: DigestDeal[] };
export type DigestContent = {
  userName: string;
  frequency: "daily" | "weekly" | "test";
  groups: DigestGroup[];
  /** Distinct changes over all groups (one deal in two watches counts once). */
  changes: number;
  origin: string;
  settingsUrl: string;
  unsubscribeUrl: string;
  /** The inline chart's Content-ID, or null when there is no chart. */
  chartCid: string | null;
  chartLabel: string;
};

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const actionLabel = (a: string) => REVISION_ACTION_LABELS[a as RevisionAction] ?? a;
const typesText = (types: DealType[]) => types.map((t) => TYPE_LABELS[t]).join(", ");
const dealLine = (d: DigestDeal) =>
  [d.parties.join(" · "), typesText(d.types), d.announcedOn].filter(Boolean).join(" — ");

export function digestSubject(c: DigestContent): string {
  const what = c.changes ? plural(c.changes, "change") : "no changes";
  if (c.frequency === "test") return `Test digest from Partnership Atlas: ${what}`;
  return `Your ${c.frequency} Partnership Atlas digest: ${what}`;
}

const intro = (c: DigestContent) =>
  c.changes
    ? `${plural(c.changes, "change")} in what you watch since your last digest.`
    : "Nothing changed in what you watch since your last digest.";

export function digestText(c: DigestContent): string {
  const lines = [`Hello ${c.userName},`, "", intro(c)];
  if (c.frequency === "test")
    lines.push("This is a test digest you asked for; it does not count as a digest sent.");
  for (const g of c.groups) {
    lines.push("", `${g.label} (${c.origin}${g.href})`);
    for (const d of g.deals) {
      lines.push(`- ${actionLabel(d.action)}: ${d.title}`, `  ${dealLine(d)}`, `  ${c.origin}/deals/${d.id}`);
    }
  }
  lines.push("", `Digest settings: ${c.settingsUrl}`, `Unsubscribe: ${c.unsubscribeUrl}`);
  return `${lines.join("\n")}\n`;
}

export function digestHtml(c: DigestContent): string {
  const e = escapeHtml;
  const groups = c.groups
    .map(
      (
        g,
      ) => `<h2 style="font-size:16px;margin:24px 0 8px"><a href="${e(c.origin + g.href)}">${e(g.label)}</a></h2>
<ul style="padding-left:20px;margin:0">${g.deals
        .map(
          (d) =>
            `<li style="margin-bottom:8px"><strong>${e(actionLabel(d.action))}:</strong> <a href="${e(`${c.origin}/deals/${d.id}`)}">${e(d.title)}</a><br><span style="color:#555">${e(dealLine(d))}</span></li>`,
        )
        .join("\n")}</ul>`,
    )
    .join("\n");
  const chart = c.chartCid
    ? `<p><img src="cid:${e(c.chartCid)}" alt="${e(c.chartLabel)}" width="600" style="max-width:100%;height:auto"></p>`
    : "";
  const test =
    c.frequency === "test"
      ? "<p><em>This is a test digest you asked for; it does not count as a digest sent.</em></p>"
      : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(digestSubject(c))}</title></head>
<body style="font-family:system-ui,sans-serif;color:#111;max-width:640px;margin:0 auto;padding:16px">
<p>Hello ${e(c.userName)},</p>
<p>${e(intro(c))}</p>
${test}${chart}
${groups}
<p style="margin-top:32px;font-size:13px;color:#555"><a href="${e(c.settingsUrl)}">Digest settings</a> · <a href="${e(c.unsubscribeUrl)}">Unsubscribe</a></p>
</body></html>
`;
}
