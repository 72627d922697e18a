"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { queueTestDigest, saveDigestSettings } from "@/db/follow/digests";
import { RefusedError } from "@/db/core/errors";
import { digestSettingsInput } from "@/lib/digest-schedule";
import type { DigestState } from "@/lib/form-state";
import { runFormAction } from "@/server/action";
import { mailConfigured } from "@/server/digests";

// The signed-in user's own digest: every user may set theirs (viewer and up).

export async function saveDigestAction(_previous: DigestState, raw: unknown): Promise<DigestState> {
  const result = await runFormAction("viewer", digestSettingsInput, raw, (input, principal) =>
    saveDigestSettings(principal.id, input),
  );
  if (!result.ok) return result.state;
  revalidatePath("/settings/digest");
  return { status: "saved" };
}

export async function sendTestDigestAction(_previous: DigestState, raw: unknown): Promise<DigestState> {
  const result = await runFormAction("viewer", z.object({}), raw, (_input, principal) => {
    if (!mailConfigured()) throw new RefusedError("This server sends no e-mail: SMTP_URL is not set.");
    return queueTestDigest(principal.id);
  });
  if (!result.ok) return result.state;
  return { status: "queued" };
}
