/**
 * Property test: long random sequences of create / delete / setData / multi (random versions
 * and paths, sequential and ephemeral nodes) with engine restarts in between, checked step by
 * step against the reference model in model.ts, then compared node by node.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CoordinatorError } from "@conifer/coordinator";
import type { Op, Session } from "@conifer/coordinator";
import { Engine } from "../src/index.ts";
import { tempDir } from "./helpers.ts";
import { Model } from "./model.ts";
import type { MOp } from "./model.ts";

const PATHS = ["/a", "/b", "/a/x", "/a/y", "/b/x", "/a/x/z", "/a/x0000000000", "/a/y/q"];
const pathArb = fc.constantFrom(...PATHS);
const versionArb = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 3 }));
const dataArb = fc.string({ maxLength: 6 });
const opArb: fc.Arbitrary<MOp> = fc.oneof(
  fc.record({
    type: fc.constant("create" as const),
    path: pathArb,
    data: dataArb,
    mode: fc.constantFrom("PERSISTENT" as const, "PERSISTENT_SEQUENTIAL" as const, "EPHEMERAL" as const),
  }),
  fc.record({ type: fc.constant("delete" as const), path: pathArb, version: versionArb }),
  fc.record({ type: fc.constant("setData" as const), path: pathArb, data: dataArb, version: versionArb }),
  fc.record({ type: fc.constant("check" as const), path: pathArb, version: versionArb }),
);
type Step =
  { kind: "op"; op: MOp } | { kind: "multi"; ops: MOp[] } | { kind: "restart" } | { kind: "read"; path: string };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: opArb.filter((o) => o.type !== "check").map((op) => ({ kind: "op" as const, op })) },
  { weight: 4, arbitrary: fc.array(opArb, { maxLength: 4 }).map((ops) => ({ kind: "multi" as const, ops })) },
  { weight: 3, arbitrary: pathArb.map((path) => ({ kind: "read" as const, path })) },
  { weight: 1, arbitrary: fc.constant({ kind: "restart" as const }) },
);

function toOp(m: MOp): Op {
  switch (m.type) {
    case "create":
      return { type: "create", path: m.path, data: Buffer.from(m.data), options: { mode: m.mode } };
    case "delete":
      return { type: "delete", path: m.path, version: m.version };
    case "setData":
      return { type: "setData", path: m.path, data: Buffer.from(m.data), version: m.version };
    case "check":
      return { type: "check", path: m.path, version: m.version };
  }
}

async function run(s: Session, m: MOp): Promise<{ ok: true; path?: string } | { ok: false; code: string }> {
  try {
    switch (m.type) {
      case "create":
        return { ok: true, path: (await s.create(m.path, Buffer.from(m.data), { mode: m.mode })).path };
      case "delete":
        await s.delete(m.path, m.version);
        return { ok: true };
      case "setData":
        await s.setData(m.path, Buffer.from(m.data), m.version);
        return { ok: true };
      default:
        throw new Error("check runs only inside multi");
    }
  } catch (e) {
    if (e instanceof CoordinatorError) return { ok: false, code: e.code };
    throw e;
  }
}

async function compareAll(s: Session, model: Model): Promise<void> {
  for (const [path, n] of model.nodes) {
    const { data, stat } = await s.getData(path);
    expect({
      path,
      data: data.toString(),
      version: stat.version,
      czxid: stat.czxid,
      mzxid: stat.mzxid,
      pzxid: stat.pzxid,
    }).toEqual({
      path,
      data: n.data,
      version: n.version,
      czxid: n.czxid,
      mzxid: n.mzxid,
      pzxid: n.pzxid,
    });
    expect(stat.cversion).toBe(2 * n.c - n.children.size);
    expect(stat.ephemeralOwner !== 0n).toBe(n.ephemeral);
    expect((await s.getChildren(path)).children.sort()).toEqual([...n.children].sort());
  }
  expect(await s.getAllChildrenNumber("/")).toBe(model.nodes.size - 1);
}

describe("engine vs reference model", () => {
  it("agrees on every result and on the final state, across restarts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 50, maxLength: 200 }),
        fc.constantFrom(3, 25, 10_000),
        async (steps, snapshotEveryTxns) => {
          const dir = await tempDir();
          const open = () => Engine.open({ dataDir: dir, fsync: false, snapshotEveryTxns });
          let engine = await open();
          const model = new Model();
          try {
            let s = await engine.connect();
            model.zxid++; // createSession
            for (const step of steps) {
              if (step.kind === "restart") {
                await engine.close();
                model.closeSession();
                engine = await open();
                s = await engine.connect();
                model.zxid++;
                expect(engine.lastZxid).toBe(model.zxid);
              } else if (step.kind === "read") {
                const n = model.nodes.get(step.path);
                const got = await s.exists(step.path);
                expect(got?.version ?? null).toBe(n ? n.version : null);
              } else if (step.kind === "op") {
                expect(await run(s, step.op)).toEqual(model.write(step.op));
              } else {
                const expected = model.multi(step.ops);
                try {
                  const { results } = await s.multi(step.ops.map(toOp));
                  expect(expected.ok).toBe(true);
                  if (expected.ok)
                    expect(results.map((r) => (r.type === "create" ? r.path : undefined))).toEqual(expected.paths);
                } catch (e) {
                  if (!(e instanceof CoordinatorError)) throw e;
                  expect(expected.ok ? "success" : expected.codes).toEqual(e.opCodes);
                }
              }
            }
            expect(engine.lastZxid).toBe(model.zxid);
            await compareAll(s, model);
            // one last restart: what was acknowledged must all come back
            await engine.close();
            model.closeSession();
            engine = await open();
            const t = await engine.connect();
            model.zxid++;
            await compareAll(t, model);
          } finally {
            await engine.close();
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
