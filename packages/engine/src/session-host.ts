/**
 * The narrow view a session has of the engine that made it. The Engine implements it; kept
 * apart so session.ts does not import engine.ts and the two do not form a cycle.
 */
import type { ResolvedOptions } from "./options.ts";
import type { RequestProcessor } from "./processor.ts";
import type { EngineSession } from "./session.ts";

/** the request path, the options, and ending the session */
export interface SessionHost {
  readonly processor: RequestProcessor;
  readonly opts: ResolvedOptions;
  readonly maxDataBytes: number;
  /** closeSession txn for close() and expiry; the state listeners fire once it is durable */
  endSession(session: EngineSession, final: "closed" | "expired"): Promise<void>;
}
