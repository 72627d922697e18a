// Loaded by the server (scripts/serve.mjs) before it creates its HTTP server. Route handlers never
// see the socket, and Next copies a client's own X-Forwarded-For / X-Forwarded-Proto when present,
// so neither can be believed without a proxy we trust. Here every request gets the socket's real
// address and whether it arrived over TLS, written over anything the client sent under those names.
import { onEveryRequest } from "./server-hooks.mjs";

const PEER = "x-atlas-peer-address";
const TLS = "x-atlas-peer-tls";

function stamp(req) {
  req.headers[PEER] = req.socket?.remoteAddress ?? "unknown";
  req.headers[TLS] = req.socket?.encrypted ? "1" : "0";
}

onEveryRequest(stamp);

// Tells server/auth/origin.ts the headers above are ours (a server started without this file
// ignores them, so a client cannot forge them there either).
globalThis[Symbol.for("atlas.peerAddress")] = true;
