/**
 * The test-only pause hook: an unknown point is refused; the chosen point prints its marker and
 * never returns, every other point returns at once; cleared, the chosen one returns again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { pauseAt } from "../pause-points.ts";
import { clearPause, pauseProcessAt } from "./index.ts";

afterEach(() => clearPause());

describe("pauseProcessAt", () => {
  it("refuses a point that does not exist", () => {
    expect(() => pauseProcessAt("publish:somewhere")).toThrow(/unknown pause point "publish:somewhere"/);
  });

  it("stops only at its point, after printing the marker", async () => {
    const lines: string[] = [];
    pauseProcessAt("publish:after-multi", (l) => lines.push(l));
    await pauseAt("publish:before-multi");
    expect(lines).toEqual([]);
    let returned = false;
    void pauseAt("publish:after-multi").then(() => {
      returned = true;
    });
    await expect.poll(() => lines).toEqual(["conifer-test-paused publish:after-multi\n"]);
    // a later point of the same turn still runs: only the paused caller waits
    await pauseAt("publish:before-multi");
    expect(returned).toBe(false);
    clearPause();
    await pauseAt("publish:after-multi");
  });
});
