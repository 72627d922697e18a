import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { parseViewPath, type ParsedViewPath } from "@/lib/saved-views";
import { SHARE_TOKEN, type ShareLinkInput } from "@/lib/share-links";
import { hashApiToken } from "../accounts/tokens";
import { getDb, type Db, type Reader } from "../core/index";
import { ForbiddenError, InputError, NotFoundError } from "../core/errors";
import { unwritableDatabaseMessage } from "../core/write-errors";
import { savedViews, shareLinks, users } from "../schema";
import type { ShareLink } from "../types";
import { recordAudit } from "../audit/events";
import type { Actor } from "../audit/revisions";
import { getView, type ViewUser } from "./views";

// Share links: a saved view shown read-only to anyone holding the URL. The owner of the view (or
// an admin, for a view they can see) makes, lists and revokes them; the token is 256 random bits
// of which only the SHA-256 is kept, as for API tokens.

/** The view's page and filters as a link will show them (every page a view can name can be shared). */
function shareableView(path: string): ParsedViewPath {
  const parsed = parseViewPath(path);
  if (!parsed.success) throw new InputError(parsed.errors);
  return parsed.view;
}

/** The view, if `user` may manage its links: its owner, or an admin (for a view they can see). */
async function managedView(tx: Reader, viewId: number, user: ViewUser) {
  const view = await getView(viewId, user.id, tx);
  if (!view) throw new NotFoundError("View");
  if (!view.mine && user.role !== "admin")
    throw new ForbiddenError("Only the view's owner or an admin can manage its share links");
  return view;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function linkRows(db: Reader, viewId: number, linkId?: number): Promise<ShareLink[]> {
  const now = Date.now();
  const rows = await db
    .select()
    .from(shareLinks)
    .where(
      linkId === undefined
        ? eq(shareLinks.viewId, viewId)
        : and(eq(shareLinks.viewId, viewId), eq(shareLinks.id, linkId)),
    )
    .orderBy(asc(shareLinks.createdAt), asc(shareLinks.id));
  return rows.map((r) => ({
    id: r.id,
    viewId: r.viewId,
    allowExport: r.allowExport,
    expiresAt: iso(r.expiresAt),
    expired: r.expiresAt !== null && r.expiresAt.getTime() <= now,
    openCount: r.openCount,
    lastOpenedAt: iso(r.lastOpenedAt),
    createdAt: iso(r.createdAt)!,
  }));
}

/** Makes a link; the answer's `token` is the only time it exists outside the visitor's URL. */
export async function createShareLink(
  viewId: number,
  user: ViewUser & { actor?: Actor },
  input: ShareLinkInput,
  db: Db = getDb(),
): Promise<ShareLink & { token: string }> {
  const token = randomBytes(32).toString("base64url");
  const link = await db.write(async (tx) => {
    shareableView((await managedView(tx, viewId, user)).path);
    const [{ id }] = (await tx
      .insert(shareLinks)
      .values({
        viewId,
        tokenHash: hashApiToken(token),
        createdByUserId: user.id,
        allowExport: input.allowExport,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      })
      .returning({ id: shareLinks.id })) as [{ id: number }];
    return { ...(await linkRows(tx, viewId, id))[0]!, token };
  });
  await recordAudit(
    "share-link-created",
    {
      actor: user.actor ?? { name: `user ${user.id}`, userId: user.id },
      detail: { linkId: link.id, viewId, allowExport: input.allowExport, expiresAt: link.expiresAt ?? null },
    },
    db,
  );
  return link;
}

/** A view's links with how often and when last each was opened. */
export async function listShareLinks(
  viewId: number,
  user: ViewUser,
  db: Reader = getDb(),
): Promise<ShareLink[]> {
  await managedView(db, viewId, user);
  return linkRows(db, viewId);
}

/** Revokes a link by deleting it: from then on its URL is a 404, like one never made. */
export async function deleteShareLink(
  viewId: number,
  linkId: number,
  user: ViewUser,
  db: Db = getDb(),
): Promise<void> {
  await db.write(async (tx) => {
    await managedView(tx, viewId, user);
    const [deleted] = await tx
      .delete(shareLinks)
      .where(and(eq(shareLinks.viewId, viewId), eq(shareLinks.id, linkId)))
      .returning({ id: shareLinks.id });
    if (!deleted) throw new NotFoundError("Share link");
  });
}

export type OpenShare = {
  linkId: number;
  name: string;
  allowExport: boolean;
  view: ParsedViewPath;
};

/**
 * The view behind a token, or null for anything that is not a live link (unknown, revoked,
 * expired, a deactivated owner's, or a view no link may show). `count` records an opening.
 */
export async function openShareLink(
  token: string,
  options: { count?: boolean } = {},
  db: Db = getDb(),
): Promise<OpenShare | null> {
  if (!SHARE_TOKEN.test(token)) return null;
  const [row] = await db
    .select({
      id: shareLinks.id,
      allowExport: shareLinks.allowExport,
      expiresAt: shareLinks.expiresAt,
      name: savedViews.name,
      path: savedViews.path,
    })
    .from(shareLinks)
    .innerJoin(savedViews, eq(savedViews.id, shareLinks.viewId))
    .innerJoin(users, eq(users.id, savedViews.ownerUserId))
    // A deactivated owner shares nothing any more, as their sessions and tokens end too.
    .where(and(eq(shareLinks.tokenHash, hashApiToken(token)), isNull(users.deactivatedAt)));
  if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  let view: OpenShare["view"];
  try {
    view = shareableView(row.path);
  } catch {
    return null;
  }
  if (options.count) {
    try {
      await db.write(
        (tx) =>
          tx
            .update(shareLinks)
            .set({ openCount: sql`${shareLinks.openCount} + 1`, lastOpenedAt: new Date() })
            .where(eq(shareLinks.id, row.id)),
        { bookkeeping: true },
      );
    } catch (error) {
      // A count must not keep a visitor from the view when the disk refuses writes.
      if (!unwritableDatabaseMessage(error)) throw error;
    }
  }
  // Anyone with the link is nobody in particular: public deals only (issue 25), whoever made it, so
  // its lists, charts, images and downloads never hold a team's confidential deals.
  const filters = { ...view.filters, audience: { teams: [] } };
  return { linkId: row.id, name: row.name, allowExport: row.allowExport, view: { ...view, filters } };
}
