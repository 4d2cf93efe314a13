import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Io } from "./context.ts";
import { EXIT } from "./errors.ts";
import { run } from "./program.ts";

function io(): Io & { err: () => string; outText: () => string } {
  let out = "";
  let err = "";
  return {
    stdin: new PassThrough(),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    err: () => err,
    outText: () => out,
  };
}

const env = { editor: "vi", configDir: "/nonexistent/conifer-cli-test" };

describe("argument parsing", () => {
  it("a missing argument, an unknown command or option is a usage error (exit 2) with one line", async () => {
    for (const args of [["get"], ["frobnicate"], ["get", "/a", "--bogus"], ["rollback", "/a", "1"], ["diff", "/a"]]) {
      const s = io();
      expect(await run(args, { env, io: s }), args.join(" ")).toBe(EXIT.usage);
      expect(s.err()).toMatch(/^conifer: /);
      expect(s.err().trim().split("\n")).toHaveLength(1);
    }
  });

  it("a version that is not a number is a usage error", async () => {
    const s = io();
    expect(await run(["put", "/a", "--expect-version", "x", "--url", "http://127.0.0.1:9"], { env, io: s })).toBe(
      EXIT.usage,
    );
    expect(s.err()).toBe("conifer: not a version number: x\n");
  });

  it("--help answers 0 and lists the commands", async () => {
    const s = io();
    expect(await run(["--help"], { env, io: s })).toBe(EXIT.ok);
    for (const c of ["login", "ls", "get", "put", "create", "rm", "history", "diff", "rollback", "watch", "edit"])
      expect(s.outText()).toContain(`  ${c} `);
  });

  it("an unreachable server is exit 1 with the address", async () => {
    const s = io();
    expect(await run(["get", "/a", "--url", "http://127.0.0.1:9", "--token", "t"], { env, io: s })).toBe(EXIT.error);
    expect(s.err()).toMatch(/^conifer: cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
