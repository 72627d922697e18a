"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { markInboxRead, replaceFeedKey } from "@/db/follow/inbox";
import { headers } from "next/headers";
import { createShareLink, deleteShareLink } from "@/db/follow/share-links";
import { createView, deleteView, unwatch, updateView, watch } from "@/db/follow/views";
import { WATCH_KINDS } from "@/lib/enums";
import type { FeedKeyState, RenameViewState, SaveViewState, ShareLinkState } from "@/lib/form-state";
import { viewInput, viewName } from "@/lib/saved-views";
import { shareLinkInput } from "@/lib/share-links";
import { runFormAction } from "@/server/action";
import { requireActionRole } from "@/server/auth/page";
import { arrivedOverHttps } from "@/server/auth/origin";
import { shareLinkUrl } from "@/server/share";

// Following: saved views, watches, the inbox and the feed key. Every signed-in user may follow;
// what they change is only ever their own (a view's owner, or an admin deleting a shared view).

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export async function saveViewAction(_previous: SaveViewState, raw: unknown): Promise<SaveViewState> {
  const result = await runFormAction("viewer", viewInput, raw, (input, user) => createView(user, input));
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  return { status: "saved", id: result.value.id, name: result.value.name };
}

export async function renameViewAction(_previous: RenameViewState, raw: unknown): Promise<RenameViewState> {
  const schema = z.object({ id, name: viewName });
  const result = await runFormAction("viewer", schema, raw, (input, user) =>
    updateView(input.id, user, { name: input.name }),
  );
  if (!result.ok) return result.state;
  revalidatePath("/views");
  return { status: "renamed", name: result.value.name };
}

/** Forms without a state to report into: a bad or stale request changes nothing and says so. */
function parseForm<S extends z.ZodType>(schema: S, formData: FormData): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Error("That request was not valid; reload the page and try again.");
  return parsed.data;
}

export async function setViewSharedAction(formData: FormData) {
  const user = await requireActionRole("viewer");
  const input = parseForm(z.object({ id, shared: z.enum(["true", "false"]) }), formData);
  await updateView(input.id, user, { shared: input.shared === "true" });
  revalidatePath("/views");
}

export async function deleteViewAction(formData: FormData) {
  const user = await requireActionRole("viewer");
  await deleteView(parseForm(z.object({ id }), formData).id, user);
  revalidatePath("/", "layout");
}

/** Watch or unwatch a company, a technology area or a saved view. */
export async function watchAction(formData: FormData) {
  const user = await requireActionRole("viewer");
  const input = parseForm(
    z.object({ kind: z.enum(WATCH_KINDS), id, watch: z.enum(["true", "false"]) }),
    formData,
  );
  const target = { kind: input.kind, id: input.id };
  if (input.watch === "true") await watch(user.id, target);
  else await unwatch(user.id, target);
  revalidatePath("/", "layout");
}

/** Marks the inbox read up to the newest change the user was shown. */
export async function markInboxReadAction(formData: FormData) {
  const user = await requireActionRole("viewer");
  await markInboxRead(user.id, parseForm(z.object({ upTo: z.coerce.number().int().min(0) }), formData).upTo);
  revalidatePath("/", "layout");
}

/** Makes the user a new feed key; the answer is the only time it is shown (it is stored hashed). */
export async function replaceFeedKeyAction(_previous: FeedKeyState, raw: unknown): Promise<FeedKeyState> {
  const result = await runFormAction("viewer", z.object({}), raw, (_input, user) => replaceFeedKey(user.id));
  if (!result.ok) return result.state;
  revalidatePath("/settings/feeds");
  return { status: "created", key: result.value };
}

/** Makes a read-only share link to a view; the answer is the only time its address is shown. */
export async function createShareLinkAction(
  _previous: ShareLinkState,
  raw: unknown,
): Promise<ShareLinkState> {
  const schema = shareLinkInput.extend({ viewId: id });
  const result = await runFormAction("viewer", schema, raw, ({ viewId, ...input }, user) =>
    createShareLink(viewId, user, input),
  );
  if (!result.ok) return result.state;
  revalidatePath("/views");
  const request = await headers();
  const origin = `${arrivedOverHttps(request) ? "https" : "http"}://${request.get("host") ?? "localhost"}`;
  return { status: "created", url: shareLinkUrl(result.value.token, origin) };
}

/** Revokes a share link: its address answers 404 from now on. */
export async function deleteShareLinkAction(formData: FormData) {
  const user = await requireActionRole("viewer");
  const input = parseForm(z.object({ viewId: id, linkId: id }), formData);
  await deleteShareLink(input.viewId, input.linkId, user);
  revalidatePath("/views");
}
