/**
 * The engine's ./testing entry: hooks a test (or an operator's drill) uses to force what the
 * engine's timers would do later — stop a session's pings, expire it now, run the reaper now —
 * and the throwaway data dirs / deterministic payloads the storage suites share. Kept off the
 * Engine class so the product's API is only what the product uses.
 */
import type { Session } from "@conifer/coordinator";
import type { Engine } from "../engine.ts";
import { EngineSession } from "../session.ts";

export { logFiles, payloadFor, range, snapshotFiles, tempDir, zxids } from "./storage.ts";

function own(engine: Engine, session: Session): EngineSession {
  if (!(session instanceof EngineSession) || session.engine !== engine)
    throw new TypeError("not a session of this engine");
  return session;
}

/** stops the automatic heartbeats of an in-process session: it expires after its timeout */
export function pauseHeartbeats(engine: Engine, session: Session): void {
  own(engine, session).heartbeats = false;
}

/** pings again from now on, as if the client library had come back */
export function resumeHeartbeats(engine: Engine, session: Session): void {
  const s = own(engine, session);
  s.heartbeats = true;
  s.lastSeen = Date.now();
}

/** expires a session now, as the expiry task would (ephemerals deleted, state "expired") */
export function expireSession(engine: Engine, session: Session): Promise<void> {
  return engine.endSession(own(engine, session), "expired");
}

/** runs the container/TTL reaper now; resolves with the number of nodes removed */
export function reapNow(engine: Engine): Promise<number> {
  return engine.reaper.pass();
}
