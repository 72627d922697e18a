// Runs once when the server starts, before it serves: the session secret every server must share
// (on PostgreSQL, from the environment), the sign-in settings (single sign-on, docs/sso.md), reads
// that follow their writer to the primary when there is a replica, the webhook worker that delivers
// the outbox in the background, the e-mail digest worker (when SMTP_URL is set), the news-source
// poller (docs/news-sources.md), the writer of the deals CSV's kept lines, and the unfiltered
// dashboard's answers.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { requireAuthSecretAtStart } = await import("./server/auth/secret");
  await requireAuthSecretAtStart();
  const { requireAuthConfigAtStart } = await import("./server/auth/sso-config");
  requireAuthConfigAtStart();
  const { installReadRouting } = await import("./server/read-routing");
  installReadRouting();
  const { startWebhookWorker } = await import("./server/webhooks");
  startWebhookWorker();
  const { startDigestWorker } = await import("./server/digests");
  startDigestWorker();
  const { startNewsWorker } = await import("./server/news/poll");
  startNewsWorker();
  const { startCsvLineWorker } = await import("./server/csv-lines");
  startCsvLineWorker();
  // Not awaited: the server listens meanwhile; a request that comes first computes the same answers once.
  const { warmDashboard } = await import("./server/widgets");
  void warmDashboard();
}
