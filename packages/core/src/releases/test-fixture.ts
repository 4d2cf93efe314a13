/**
 * Test fixture of the release tests: a Conifer on a real embedded engine (wrapped by the
 * fault-injecting backend) and a real SQLite history store, users with roles, and helpers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@conifer/coordinator";
import { FaultyBackend, type FaultySession } from "@conifer/coordinator/contract";
import { Engine } from "@conifer/engine";
import { openHistoryStore, type HistoryStore } from "@conifer/history";
import type { Principal, Role } from "../auth/authz.ts";
import { Conifer, type ConiferOptions } from "../conifer.ts";
import type { Caller } from "./caller.ts";

export interface Fixture {
  dir: string;
  engine: Engine;
  history: HistoryStore;
  backend: FaultyBackend;
  conifer: Conifer;
  faulty: FaultySession;
  /** another client of the engine: competing writes, and looking at what is there */
  other: Session;
  close(): Promise<void>;
}

/** `extra`: more Conifer options; the scheduler does not tick by itself (tests call `tick`) */
export async function openFixture(serverId = "server-a", extra: Partial<ConiferOptions> = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), "conifer-releases-"));
  const engine = await Engine.open({ dataDir: join(dir, "engine"), fsync: false });
  const history = await openHistoryStore({ url: `file:${join(dir, "history.db")}` });
  const backend = new FaultyBackend(engine);
  const conifer = new Conifer({ backend, history, serverId, scheduleTickMs: 0, ...extra });
  await conifer.start();
  const faulty = backend.last();
  const other = await engine.connect();
  return {
    dir,
    engine,
    history,
    backend,
    conifer,
    faulty,
    other,
    async close() {
      await other.close();
      await conifer.stop();
      await engine.close();
      await history.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let nextId = 1;
export function user(name: string, grants: [string, Role][]): Caller {
  const principal: Principal = {
    kind: "user",
    userId: nextId++,
    name,
    grants: grants.map(([pathPrefix, role]) => ({ pathPrefix, role })),
    sessionHash: "h",
    mustChangePassword: false,
  };
  return { principal, actor: { author: name, source: "console" } };
}

/** what a failed call threw (a test fails if the call succeeds) */
export async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("the call should have failed");
    },
    (err: unknown) => err,
  );
}

export async function content(s: Session, path: string): Promise<string | null> {
  try {
    return (await s.getData(path)).data.toString();
  } catch {
    return null;
  }
}
