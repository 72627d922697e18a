// Runs once when the server starts: reads follow their writer to the primary when there is a
// replica, and the webhook worker delivers the outbox in the background.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installReadRouting } = await import("./server/read-routing");
  installReadRouting();
  const { startWebhookWorker } = await import("./server/webhooks");
  startWebhookWorker();
}
