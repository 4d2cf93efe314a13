/** Unit tests for the commit pipeline's release order, with a hand-driven fake log. */
import { describe, expect, it } from "vitest";
import { CommitPipeline } from "./pipeline.ts";

function fakeSink() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  return {
    pending,
    sink: {
      append: () =>
        new Promise<void>((resolve, reject) => {
          pending.push({ resolve, reject });
        }),
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("CommitPipeline", () => {
  it("releases outcomes in issue order once every earlier record is durable", async () => {
    const { sink, pending } = fakeSink();
    const p = new CommitPipeline(sink, () => {});
    const seen: string[] = [];
    p.then(
      () => seen.push("read0"),
      () => {},
    );
    const b1 = p.log(1n, new Uint8Array());
    p.then(
      () => seen.push("w1"),
      () => {},
      b1,
    );
    p.then(
      () => seen.push("read1"),
      () => {},
    );
    const b2 = p.log(2n, new Uint8Array());
    p.then(
      () => seen.push("w2"),
      () => {},
      b2,
    );
    expect(seen).toEqual(["read0"]);
    pending[1]!.resolve(); // the later record is durable first: nothing may overtake w1
    await tick();
    expect(seen).toEqual(["read0"]);
    pending[0]!.resolve();
    await tick();
    expect(seen).toEqual(["read0", "w1", "read1", "w2"]);
    await p.idle();
  });

  it("fails everything queued and everything later once an append fails", async () => {
    const { sink, pending } = fakeSink();
    let fatal: Error | null = null;
    const p = new CommitPipeline(sink, (e) => (fatal = e));
    const failed: string[] = [];
    const b = p.log(1n, new Uint8Array());
    p.then(
      () => {},
      (e: unknown) => failed.push(`w ${(e as Error).message}`),
      b,
    );
    pending[0]!.reject(new Error("disk gone"));
    await tick();
    p.then(
      () => {},
      () => failed.push("later"),
    );
    expect(failed).toEqual(["w engine storage failed: disk gone", "later"]);
    expect(fatal).toBeInstanceOf(Error);
    await p.idle();
  });
});
