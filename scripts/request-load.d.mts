import type http from "node:http";

/** Runs `work` as `req`'s request (its context for server/request-load.ts). */
export function asRequest<T>(req: http.IncomingMessage, work: () => T): T;
