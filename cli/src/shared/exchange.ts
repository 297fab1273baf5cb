// What a request and its answer look like, to the engine that sends them and to the profiles
// that match them with log lines.
export interface OutgoingRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One request and its answer as the engine saw it; `status` 0 when no answer came. */
export interface Exchange {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Client-observed, from the intended send time to the last byte of the body. */
  latencyMs: number;
  /** The answering service's own time (`Server-Timing: app`). */
  serverMs?: number;
  cache?: string;
  instance?: string;
  error?: string;
}
