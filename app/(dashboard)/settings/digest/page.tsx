import type { Metadata } from "next";
import { getDigestSettings } from "@/db/follow/digests";
import { timeZones } from "@/lib/digest-schedule";
import { requirePrincipal } from "@/server/auth/page";
import { mailConfigured } from "@/server/digests";
import { DigestForm } from "@/components/settings/digest-form";
import { saveDigestAction, sendTestDigestAction } from "../digest-actions";

export const metadata: Metadata = { title: "E-mail digest" };

export default async function DigestSettingsPage() {
  const principal = await requirePrincipal();
  const { lastSentAt, ...schedule } = await getDigestSettings(principal.id);
  const canSend = mailConfigured();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>E-mail digest</h1>
          <p>
            A daily or weekly e-mail to {principal.email ?? "you"} of what changed in your watches and views,
            grouped by watch, at the hour you choose in your time zone. Nothing is sent when nothing changed.
          </p>
        </div>
      </div>
      {!canSend && (
        <p className="alert error" role="alert">
          This server sends no e-mail yet: an administrator sets SMTP_URL and MAIL_FROM (docs/digests.md).
        </p>
      )}
      <p className="muted">
        {lastSentAt
          ? `Last digest sent ${lastSentAt.toISOString().replace("T", " ").slice(0, 16)} UTC.`
          : "No digest sent yet."}
      </p>
      <DigestForm
        save={saveDigestAction}
        sendTest={sendTestDigestAction}
        initial={schedule}
        zones={timeZones()}
        canSend={canSend}
      />
    </>
  );
}
