import type { IncomingMessage, ServerResponse } from "node:http";

export function requestPriority(req: Pick<IncomingMessage, "url" | "method">): 0 | 1 | 2 | null;
export function createRequestQueue(options?: { active?: number; bulk?: number; readWaitMs?: number }): {
  admit(req: IncomingMessage, res: ServerResponse, run: () => void): void;
  state(): { running: number[]; waiting: number[] };
};
