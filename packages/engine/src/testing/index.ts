/**
 * The engine's ./testing entry: hooks a test (or an operator's drill) uses to force what the
 * engine's timers would do later — stop a session's pings, expire it now, run the reaper now —
 * or to hold a snapshot mid-stream, and the throwaway data dirs / deterministic payloads the storage suites share. Kept off the
 * Engine class so the product's API is only what the product uses.
 */
import type { Session } from "@conifer/coordinator";
import type { Engine } from "../engine.ts";
import { EngineSession } from "../session.ts";
import { snapshotName, TMP_SUFFIX } from "../storage/files.ts";

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

/** a snapshot held mid-stream by pauseNextSnapshot */
export interface PausedSnapshot {
  /** resolves once the snapshot's first chunk is in its temp file and the stream is held */
  paused: Promise<{ zxid: bigint; tempFile: string }>;
  /** lets the snapshot go on (closing the engine lets it go too, and abandons it) */
  resume(): void;
}

/**
 * Holds the engine's next snapshot after its first chunk is written: its temp file is on disk,
 * partly written, while requests go on. A crash test then kills the process at exactly that
 * point instead of hoping the snapshot is slow enough to be caught.
 */
export function pauseNextSnapshot(engine: Engine): PausedSnapshot {
  let reportPaused!: (at: { zxid: bigint; tempFile: string }) => void;
  const paused = new Promise<{ zxid: bigint; tempFile: string }>((r) => (reportPaused = r));
  let resume!: () => void;
  const released = new Promise<void>((r) => (resume = r));
  engine.processor.interceptSnapshot = async function* (zxid, chunks, closing) {
    let first = true;
    for await (const chunk of chunks) {
      yield chunk;
      // asked for the next chunk: the writer has put this one in the temp file
      if (first) {
        first = false;
        reportPaused({ zxid, tempFile: snapshotName(zxid) + TMP_SUFFIX });
        if (!closing.aborted)
          await Promise.race([
            released,
            new Promise((r) => {
              closing.addEventListener("abort", r, { once: true });
            }),
          ]);
      }
    }
  };
  return { paused, resume };
}
