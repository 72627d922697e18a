import "server-only";
import { InputError } from "@/db/core/errors";
import { createWebhook } from "@/db/follow/webhooks";
import { ArticleFetchError, checkPublicUrl } from "./fetch-article";

/** Hosts (names or addresses) whose endpoints may be plain http://: WEBHOOK_ALLOW_HTTP_HOSTS=a,b. */
function httpHosts(): Set<string> {
  return new Set(
    (process.env.WEBHOOK_ALLOW_HTTP_HOSTS ?? "")
      .split(",")
      .map((s) =>
        s
          .trim()
          .toLowerCase()
          .replace(/^\[|\]$/g, ""),
      )
      .filter(Boolean),
  );
}

/**
 * Why an endpoint may not receive deliveries over plain http://, or null. Signed bodies would still
 * be readable (and the secret-derived signature replayable) on the way, so http:// is for hosts an
 * operator names, such as a receiver on the same machine.
 */
export function plainHttpRefusal(rawUrl: string): string | null {
  const url = new URL(rawUrl);
  if (url.protocol !== "http:") return null;
  if (httpHosts().has(url.hostname.replace(/^\[|\]$/g, "").toLowerCase())) return null;
  return `Use an https:// address: http:// is accepted only for hosts the server allows (WEBHOOK_ALLOW_HTTP_HOSTS).`;
}

/** Registers an endpoint that is https:// (or allowed http://) and passes the private-address guard. */
export async function registerWebhook(
  input: Parameters<typeof createWebhook>[0],
  createdByUserId: string | null,
) {
  const refusal = plainHttpRefusal(input.url);
  if (refusal) throw new InputError({ url: [refusal] });
  try {
    await checkPublicUrl(input.url);
  } catch (error) {
    if (error instanceof ArticleFetchError) throw new InputError({ url: [error.message] });
    throw error;
  }
  return await createWebhook(input, createdByUserId);
}
