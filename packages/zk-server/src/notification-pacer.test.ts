/** NotificationPacer: a small fan-out leaves at once; a large one leaves a chunk per turn, in order, with I/O between. */
import { describe, expect, it } from "vitest";
import { NotificationPacer } from "./notification-pacer.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("NotificationPacer", () => {
  it("releases up to a chunk in the same turn", () => {
    const pacer = new NotificationPacer(4);
    const out: number[] = [];
    for (let i = 0; i < 4; i++) pacer.push(() => out.push(i));
    expect(out).toEqual([0, 1, 2, 3]);
    expect(pacer.pending).toBe(0);
  });

  it("releases the rest a chunk per turn, in push order, letting other callbacks run between chunks", async () => {
    const pacer = new NotificationPacer(3);
    const out: string[] = [];
    for (let i = 0; i < 8; i++) pacer.push(() => out.push(`n${i}`));
    expect(out).toEqual(["n0", "n1", "n2"]);
    expect(pacer.pending).toBe(5);
    // stands for a request that arrived while the fan-out was being written
    setImmediate(() => out.push("read"));
    await nextTurn();
    await nextTurn();
    await nextTurn();
    expect(out).toEqual(["n0", "n1", "n2", "n3", "n4", "n5", "read", "n6", "n7"]);
    expect(pacer.pending).toBe(0);
  });

  it("keeps order when new notifications arrive while older ones wait", async () => {
    const pacer = new NotificationPacer(2);
    const out: number[] = [];
    for (let i = 0; i < 5; i++) pacer.push(() => out.push(i));
    await nextTurn();
    pacer.push(() => out.push(5));
    await nextTurn();
    await nextTurn();
    await nextTurn();
    expect(out).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("a release that throws does not keep the others from leaving", async () => {
    const pacer = new NotificationPacer(1);
    const out: number[] = [];
    pacer.push(() => out.push(0));
    pacer.push(() => {
      throw new Error("connection gone");
    });
    pacer.push(() => out.push(2));
    await nextTurn();
    await nextTurn();
    await nextTurn();
    expect(out).toEqual([0, 2]);
  });

  it("gives each turn a fresh budget once the queue is empty", async () => {
    const pacer = new NotificationPacer(2);
    const out: number[] = [];
    pacer.push(() => out.push(0));
    pacer.push(() => out.push(1));
    await nextTurn();
    pacer.push(() => out.push(2));
    pacer.push(() => out.push(3));
    expect(out).toEqual([0, 1, 2, 3]);
  });
});
