/**
 * The streamed snapshot is the state at its zxid, whatever happens to the tree while it is
 * being written: nodes changed, deleted, re-created and added before and after the walk
 * reaches them, inside multis that fail and roll back, and sessions opening and closing.
 */
import { OPEN_ACL_UNSAFE } from "@conifer/coordinator";
import { describe, expect, it } from "vitest";
import { applyTxn } from "./apply.ts";
import { DataTree } from "./data-tree.ts";
import { decodeSnapshot, encodeSnapshot } from "./snapshot.ts";
import { streamSnapshot } from "./snapshot-stream.ts";
import type { TxnBody } from "./txn.ts";

const acl = [...OPEN_ACL_UNSAFE];

function apply(tree: DataTree, body: TxnBody): void {
  applyTxn(tree, { ...body, zxid: tree.lastZxid + 1n, time: Number(tree.lastZxid) });
}

function build(n: number): DataTree {
  const tree = DataTree.fresh();
  apply(tree, { t: "createSession", sessionId: 7n, timeoutMs: 4000 });
  apply(tree, { t: "create", path: "/a", data: Buffer.from("a"), acl, owner: 0n });
  for (let i = 0; i < n; i++)
    apply(tree, { t: "create", path: `/a/n${i}`, data: Buffer.from(`v${i}`), acl, owner: i % 10 === 0 ? 7n : 0n });
  return tree;
}

/** every node by path, children as sorted arrays, so two trees compare with toEqual */
function contents(tree: DataTree) {
  const nodes = [...tree.nodes].map(([path, n]) => [path, { ...n, children: [...n.children].sort() }] as const);
  return {
    lastZxid: tree.lastZxid,
    sessions: [...tree.sessions].sort(),
    nodes: nodes.sort((x, y) => (x[0] < y[0] ? -1 : 1)),
  };
}

function collect(chunks: Iterable<Uint8Array>, between: (i: number) => void): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  for (const c of chunks) {
    parts.push(Buffer.from(c));
    between(i++);
  }
  return Buffer.concat(parts);
}

describe("streamSnapshot", () => {
  it("equals the one-shot encoding when nothing changes", () => {
    const tree = build(500);
    const stream = streamSnapshot(tree, { sliceMs: 0 });
    const bytes = collect(stream.chunks, () => undefined);
    expect(contents(decodeSnapshot(bytes))).toEqual(contents(decodeSnapshot(encodeSnapshot(tree))));
  });

  it("holds exactly the state at its zxid while the tree changes between slices", () => {
    const tree = build(2000);
    const expected = contents(decodeSnapshot(encodeSnapshot(tree)));
    const stream = streamSnapshot(tree, { sliceMs: 0 });
    expect(stream.zxid).toBe(tree.lastZxid);
    let slices = 0;
    const bytes = collect(stream.chunks, (i) => {
      slices++;
      // early and late nodes alike, so some change before the walk and some after
      for (const k of [i * 7, 1999 - i * 5, i * 13 + 1]) {
        const p = `/a/n${k % 2000}`;
        const node = tree.get(p);
        if (!node) apply(tree, { t: "create", path: p, data: Buffer.from(`again${i}`), acl, owner: 0n });
        else if (k % 3 === 0) apply(tree, { t: "delete", path: p });
        else apply(tree, { t: "setData", path: p, data: Buffer.from(`changed${i}`), version: node.version + 1 });
      }
      apply(tree, { t: "create", path: `/new${i}`, data: null, acl, owner: 0n });
      apply(tree, { t: "createSession", sessionId: 100n + BigInt(i), timeoutMs: 4000 });
      if (i === 3) apply(tree, { t: "closeSession", sessionId: 7n });
      // a multi that fails halfway is rolled back through the journal
      tree.beginJournal();
      apply(tree, { t: "setData", path: "/a", data: Buffer.from(`rolled back ${i}`), version: 99 });
      tree.rollbackJournal();
    });
    expect(slices).toBeGreaterThan(20);
    expect(contents(decodeSnapshot(bytes))).toEqual(expected);
    // the view ended with the stream: later changes keep no pre-images
    expect(() => tree.endView(tree.beginView())).not.toThrow();
  });

  it("stops with an error at its next slice once aborted, and releases the view", () => {
    const tree = build(500);
    const abort = new AbortController();
    const stream = streamSnapshot(tree, { sliceMs: 0, signal: abort.signal });
    expect(() => collect(stream.chunks, () => abort.abort(new Error("closing")))).toThrow("closing");
    expect(() => tree.endView(tree.beginView())).not.toThrow();
  });
});
