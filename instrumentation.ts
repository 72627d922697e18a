// Runs once when the server starts: the webhook worker delivers the outbox in the background.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebhookWorker } = await import("./server/webhooks");
  startWebhookWorker();
}
