/**
 * Fuzz: 10,000+ random and mutated frames from many connections. The server stays up, a
 * well-behaved session keeps working, and no data changes (the tree is read-only to the
 * anonymous fuzz sessions, and compared node by node before and after).
 */
import { randomBytes, randomInt } from "node:crypto";
import type { Backend, Session } from "@conifer/coordinator";
import { Perms } from "@conifer/coordinator";
import { digestId } from "@conifer/coordinator/contract";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { JuteWriter } from "@conifer/zookeeper/wire";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWire } from "./fixture.ts";
import type { WireFixture } from "./fixture.ts";
import { closed, connectRaw, getDataFrame, handshake } from "./raw.ts";

const FRAMES = 10_000;
const AUTH = "fuzz-admin:pw";
let wire: WireFixture;
let backend: Backend;
let admin: Session;

const readOnly = [{ perms: Perms.READ, id: { scheme: "world", id: "anyone" } }];
const adminAcl = (id: string) => [...readOnly, { perms: Perms.ALL, id: { scheme: "digest", id } }];

async function snapshot(s: Session, path = "/", out = new Map<string, string>()): Promise<Map<string, string>> {
  const { data, stat } = await s.getData(path);
  out.set(path, `${data.toString("hex")}|${stat.version}|${stat.cversion}|${stat.aversion}|${stat.numChildren}`);
  const { children } = await s.getChildren(path);
  for (const c of children.sort()) await snapshot(s, path === "/" ? `/${c}` : `${path}/${c}`, out);
  return out;
}

/** valid request frames the mutations start from */
function seeds(): Buffer[] {
  const w = () => new JuteWriter().int(randomInt(1, 1000));
  return [
    getDataFrame(7, "/fuzz/a"),
    w().int(1).ustring("/fuzz/new").buffer(Buffer.from("x")).vector([], () => {}).int(0).frame(),
    w().int(5).ustring("/fuzz/a").buffer(Buffer.from("changed")).int(-1).frame(),
    w().int(2).ustring("/fuzz/a").int(-1).frame(),
    w().int(14).int(1).bool(false).int(-1).ustring("/fuzz/m").buffer(null).vector([], () => {}).int(0).int(-1).bool(true).int(-1).frame(),
    w().int(101).long(0n).vector(["/fuzz/a"], (ww, p) => void ww.ustring(p)).vector([], () => {}).vector([], () => {}).frame(),
    w().int(106).ustring("/fuzz").int(1).frame(),
    w().int(100).int(0).ustring("digest").buffer(Buffer.from("x:y")).frame(),
  ]; // prettier-ignore
}

function mutate(frame: Buffer): Buffer {
  const f = Buffer.from(frame);
  const n = randomInt(1, 6);
  for (let i = 0; i < n; i++) f[randomInt(4, f.length)] = randomInt(0, 256);
  if (randomInt(0, 4) === 0) return f.subarray(0, randomInt(4, f.length)); // truncated
  return f;
}

function randomFrame(): Buffer {
  const body = randomBytes(randomInt(0, 120));
  const f = Buffer.alloc(4 + body.length);
  f.writeInt32BE(randomInt(0, 10) === 0 ? randomInt(-5, 2_000_000) : body.length);
  body.copy(f, 4);
  return f;
}

beforeAll(async () => {
  wire = await startWire();
  backend = createZooKeeperBackend({
    connectString: wire.connectString,
    sessionTimeoutMs: 10_000,
    auth: [{ scheme: "digest", auth: AUTH }],
  });
  admin = await backend.connect();
  const acl = adminAcl(digestId("fuzz-admin", "pw"));
  await admin.create("/fuzz", Buffer.from("root"), { acl });
  await admin.create("/fuzz/a", Buffer.from("a"), { acl });
  // /zookeeper/config is world-read-only already
  for (const p of ["/", "/zookeeper", "/zookeeper/quota"]) await admin.setACL(p, acl);
}, 60_000);

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await backend?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await wire?.stop();
});

it(`survives ${FRAMES} random and mutated frames without a data change`, async () => {
  const before = await snapshot(admin);
  const base = seeds();
  let sent = 0;
  while (sent < FRAMES) {
    // 20 connections at a time, each with a (sometimes mutated) handshake and 50 frames
    const batch = Array.from({ length: 20 }, async () => {
      const s = await connectRaw(wire.server.port);
      s.on("error", () => {});
      const frames = [randomInt(0, 10) === 0 ? mutate(handshake()) : handshake()];
      for (let i = 0; i < 50; i++) {
        const r = randomInt(0, 3);
        frames.push(r === 0 ? randomFrame() : mutate(base[randomInt(0, base.length)]!));
      }
      sent += frames.length;
      s.end(Buffer.concat(frames));
      s.resume();
      await closed(s);
    });
    await Promise.all(batch);
    // the well-behaved session keeps working in between
    expect((await admin.getData("/fuzz/a")).data.toString()).toBe("a");
  }
  expect(sent).toBeGreaterThanOrEqual(FRAMES);
  expect(await snapshot(admin)).toEqual(before);
  // and the server still takes new sessions
  const fresh = await createZooKeeperBackend({ connectString: wire.connectString }).connect();
  expect((await fresh.getData("/fuzz")).data.toString()).toBe("root");
  await fresh.close();
}, 300_000);
