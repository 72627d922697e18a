// Runs once when the server starts, before it serves: the session secret every server shares (on
// PostgreSQL), reads that follow their writer to the primary when there is a replica, and the
// webhook worker that delivers the outbox in the background.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadSharedAuthSecret } = await import("./server/auth/secret");
  await loadSharedAuthSecret();
  const { installReadRouting } = await import("./server/read-routing");
  installReadRouting();
  const { startWebhookWorker } = await import("./server/webhooks");
  startWebhookWorker();
}
