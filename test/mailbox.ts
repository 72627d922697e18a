import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

// A real SMTP server in the test process that keeps what it receives, parsed (mailparser), for the
// digest tests (unit and e2e). `refusing` makes it answer every message with a temporary error,
// `stalling` never answer a message once its data is in (`stalledMs`: how long until the client gave
// up and closed the connection).

export type Mailbox = {
  received: ParsedMail[];
  refusing: boolean;
  stalling: boolean;
  stalledMs?: number;
  port: number;
  close: () => Promise<void>;
};

export async function startMailbox(host = "127.0.0.1", port = 0): Promise<Mailbox> {
  const mailbox: Mailbox = { received: [], refusing: false, stalling: false, port: 0, close: async () => {} };
  let stalledSince: number | undefined;
  const smtp = new SMTPServer({
    onClose() {
      if (stalledSince !== undefined) mailbox.stalledMs = Date.now() - stalledSince;
      stalledSince = undefined;
    },
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      if (mailbox.stalling) {
        stream.on("end", () => (stalledSince = Date.now()));
        return stream.resume();
      }
      // keepCidLinks: the HTML as sent, with its cid: reference, not the image inlined as data:.
      simpleParser(stream, { keepCidLinks: true })
        .then((mail) => {
          if (mailbox.refusing)
            return callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
          mailbox.received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, host, resolve));
  mailbox.port = (smtp.server.address() as AddressInfo).port;
  mailbox.close = () => new Promise<void>((resolve) => smtp.close(resolve));
  return mailbox;
}

/** The raw header line (mailparser folds List-* headers into an object of its own). */
export const headerLine = (mail: ParsedMail, name: string) =>
  mail.headerLines.find((h) => h.key === name)?.line ?? "";
