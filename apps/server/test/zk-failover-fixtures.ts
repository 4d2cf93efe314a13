/**
 * Fixtures for the ZooKeeper failover suite (zk-failover.test.ts): one 3-node ensemble and one
 * PostgreSQL per file, servers on them, a console-like socket recording `backendState` and
 * `resync`, a tRPC failure reader that keeps the HTTP status, and a wait for a session to be
 * gone from every member (how a test forces a real expiry).
 */
import type { ClientToServerEvents, ServerToClientEvents } from "@conifer/protocol";
import { TRPCClientError } from "@trpc/client";
import { io, type Socket } from "socket.io-client";
import { connect } from "node:net";
import type { Ensemble } from "@conifer/zookeeper/testing";
import { vi } from "vitest";
import { sdkToken } from "./auth.ts";

export type ConiferFailure = { code: string; message: string; httpStatus?: number; details: Record<string, unknown> };

/** The `data.conifer` of a failed tRPC call, or null when `err` is not a tRPC error. */
export function coniferFailure(err: unknown): ConiferFailure | null {
  if (!(err instanceof TRPCClientError)) return null;
  const data = err.data as
    { conifer?: { code: string; message: string; details: Record<string, unknown> }; httpStatus?: number } | undefined;
  if (!data?.conifer) return null;
  return { ...data.conifer, httpStatus: data.httpStatus };
}

/** A socket like the console's: records every backendState and resync the server sends. */
export async function watcherSocket(url: string): Promise<{
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  states: { writable: boolean; message?: string }[];
  resyncs: string[];
}> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    auth: { token: sdkToken(url) },
  });
  const states: { writable: boolean; message?: string }[] = [];
  const resyncs: string[] = [];
  socket.on("backendState", (s) => states.push(s));
  socket.on("resync", (r) => resyncs.push(typeof r === "string" ? r : JSON.stringify(r)));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return { socket, states, resyncs };
}

/** Sends a four-letter word to a loopback member and returns its reply. */
function fourLetterWordForTests(port: number, cmd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error(`${cmd} timed out`)));
    socket.on("connect", () => socket.write(cmd));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** Polls every running member's `dump` until none lists the session (it expired). */
export async function waitUntilSessionGone(ensemble: Ensemble, sessionId: bigint, ceilingMs = 90_000): Promise<void> {
  const hex = `0x${sessionId.toString(16)}`;
  await vi.waitFor(
    async () => {
      const running = ensemble.members.filter((m) => m.running);
      const dumps = await Promise.all(running.map((m) => fourLetterWordForTests(m.clientPort, "dump").catch(() => "")));
      if (dumps.some((d) => d.toLowerCase().includes(hex)))
        throw new Error(`session ${hex} still known to the ensemble after ${ceilingMs} ms`);
    },
    { timeout: ceilingMs, interval: 100 },
  );
}

/** Restarts every member a test killed (each waits until it serves). */
export async function restartKilled(ensemble: Ensemble): Promise<void> {
  for (const m of ensemble.members.filter((x) => !x.running)) await ensemble.start(m.id);
}
