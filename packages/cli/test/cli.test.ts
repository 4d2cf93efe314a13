/**
 * The `conifer` binary against a real server: each case spawns the CLI from source as a user's
 * shell would (node --import tsx), with the server's URL and an API token in its environment,
 * and checks its output and exit code.
 */
import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, apiToken, startTestServer, type TestServer } from "./server.ts";

const MAIN = join(dirname(fileURLToPath(import.meta.url)), "../src/main.ts");

let t: TestServer;
let token: string;
let home: string;

beforeAll(async () => {
  t = await startTestServer();
  token = await apiToken(t.server.url);
  home = await mkdtemp(join(tmpdir(), "conifer-cli-home-"));
});

afterAll(async () => {
  await t.close();
  if (home) await rm(home, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's environment: this server and token, with `extra` on top (undefined: left out). */
function cliEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    CONIFER_URL: t.server.url,
    CONIFER_TOKEN: token,
    XDG_CONFIG_HOME: join(home, "config"),
    ...extra,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
}

function start(args: string[], extra: Record<string, string | undefined> = {}) {
  return spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { env: cliEnv(extra), stdio: "pipe" });
}

function conifer(args: string[], input = "", extra: Record<string, string | undefined> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = start(args, extra);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function ok(args: string[], input = "", extra: Record<string, string | undefined> = {}): Promise<string> {
  const r = await conifer(args, input, extra);
  expect(r.code, `conifer ${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const version = async (path: string): Promise<number> =>
  (JSON.parse(await ok(["get", path, "--json"])) as { version: number }).version;

describe("conifer CLI", () => {
  it("create, then put from stdin, then get returns it; --json parses", async () => {
    await ok(["create", "/app"]);
    await ok(["create", "/app/x.json", "-m", "first"], '{"v":1}');
    await ok(["put", "/app/x.json", "-m", "second"], '{"v":2}');
    expect(await ok(["get", "/app/x.json"])).toBe('{"v":2}');
    const json = JSON.parse(await ok(["get", "/app/x.json", "--json"])) as Record<string, unknown>;
    expect(json).toMatchObject({ path: "/app/x.json", content: '{"v":2}', format: "json" });
    expect(typeof json["version"]).toBe("number");
  });

  it("put with a stale --expect-version exits 4; a current one writes", async () => {
    const v = await version("/app/x.json");
    const stale = await conifer(["put", "/app/x.json", "--expect-version", String(v - 1)], '{"v":3}');
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/^conifer: CONFLICT: .*\(current version \d+\)\n$/);
    await ok(["put", "/app/x.json", "--expect-version", String(v)], '{"v":3}');
    expect(await version("/app/x.json")).toBe(v + 1);
  });

  it("invalid content is refused with the server's line and column (exit 1)", async () => {
    const r = await conifer(["put", "/app/x.json"], '{\n  "v": 3,\n  oops\n}');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^conifer: INVALID_CONTENT: .*line 3, column \d+.*\n$/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("get of a missing key exits 3; a bad token exits 5", async () => {
    const missing = await conifer(["get", "/app/nope"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^conifer: NOT_FOUND: /);
    const bad = await conifer(["get", "/app/x.json"], "", { CONIFER_TOKEN: "not-a-token" });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/^conifer: UNAUTHENTICATED: /);
  });

  it("ls lists children; history shows versions", async () => {
    await ok(["create", "/app/y.yaml"], "a: 1\n");
    expect((await ok(["ls", "/app"])).split("\n")).toEqual(expect.arrayContaining(["/app/x.json", "/app/y.yaml"]));
    const listed = JSON.parse(await ok(["ls", "/app", "--json"])) as { path: string }[];
    expect(listed.map((c) => c.path).sort()).toEqual(["/app/x.json", "/app/y.yaml"]);
    const lines = (await ok(["history", "/app/x.json"])).trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]).toMatch(/^v\d+\t/);
    expect(lines.some((l) => l.includes("second"))).toBe(true);
  });

  it("diff prints a unified diff; rollback publishes the old content as a new version", async () => {
    const history = JSON.parse(await ok(["history", "/app/x.json", "--json"])) as { version: number }[];
    const oldest = history[history.length - 1]!.version;
    const newest = history[0]!.version;
    const d = await ok(["diff", "/app/x.json", String(oldest), String(newest)]);
    expect(d).toContain("@@");
    expect(d).toContain('-{"v":1}');
    expect(d).toContain('+{"v":3}');
    const before = await version("/app/x.json");
    // API tokens never roll back (a person does): the token is refused, a signed-in admin is not
    const refused = await conifer(["rollback", "/app/x.json", String(oldest), "-m", "by a token"]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/^conifer: FORBIDDEN: .*may not publish/);
    const person = { XDG_CONFIG_HOME: join(home, "person"), CONIFER_TOKEN: undefined };
    await ok(["login", "--user", "admin", "--password-stdin"], `${ADMIN_PASSWORD}\n`, person);
    await ok(["rollback", "/app/x.json", String(oldest), "-m", "back to one"], "", person);
    expect(await ok(["get", "/app/x.json"])).toBe('{"v":1}');
    expect(await version("/app/x.json")).toBe(before + 1);
    expect(await ok(["history", "/app/x.json"])).toContain("back to one");
  });

  it("watch prints a new version published meanwhile", async () => {
    const child = start(["watch", "/app/y.yaml"]);
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    try {
      const from = await version("/app/y.yaml");
      // the watch may not have read its starting point yet: publish until it reports one
      const deadline = Date.now() + 30_000;
      for (let n = 2; !/\/app\/y\.yaml\tv\d+/.test(out); n++) {
        if (Date.now() > deadline) throw new Error(`watch printed nothing: ${out}`);
        await ok(["put", "/app/y.yaml"], `a: ${n}\n`);
        await new Promise((r) => setTimeout(r, 300));
      }
      const seen = [...out.matchAll(/\tv(\d+)/g)].map((m) => Number(m[1]));
      expect(Math.min(...seen)).toBeGreaterThan(from);
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise<number | null>((r) => child.once("close", r));
    expect(code).toBe(0);
  });

  it("edit with a scripted EDITOR and --yes publishes, conditioned on the version read", async () => {
    const script = join(home, "editor.sh");
    await writeFile(script, `#!/bin/sh\nprintf 'a: edited\\n' > "$1"\n`);
    await chmod(script, 0o755);
    const before = await version("/app/y.yaml");
    const r = await conifer(["edit", "/app/y.yaml", "--yes", "-m", "edited"], "", {
      EDITOR: script,
      VISUAL: undefined,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("+a: edited");
    expect(await ok(["get", "/app/y.yaml"])).toBe("a: edited\n");
    expect(await version("/app/y.yaml")).toBe(before + 1);

    // an editor during which someone else publishes: the write is refused as stale (exit 4)
    const racer = join(home, "racer.sh");
    await writeFile(
      racer,
      `#!/bin/sh\nprintf 'a: mine\\n' | "${process.execPath}" --import tsx "${MAIN}" put /app/y.yaml\nprintf 'a: late\\n' > "$1"\n`,
    );
    await chmod(racer, 0o755);
    const stale = await conifer(["edit", "/app/y.yaml", "--yes"], "", { EDITOR: racer, VISUAL: undefined });
    expect(stale.code, stale.stderr).toBe(4);
    expect(await ok(["get", "/app/y.yaml"])).toBe("a: mine\n");
  });

  it("edit takes an EDITOR with its own arguments; content the server refuses is not published", async () => {
    await ok(["create", "/app/notes.txt"], "old\n");
    const inline = { EDITOR: `sh -c 'printf new > "$0"'`, VISUAL: undefined };
    await ok(["edit", "/app/notes.txt", "--yes"], "", inline);
    expect(await ok(["get", "/app/notes.txt"])).toBe("new");
    const before = await version("/app/x.json");
    const invalid = await conifer(["edit", "/app/x.json", "--yes"], "", inline);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/conifer: INVALID_CONTENT: .*line 1, column 1/);
    expect(await version("/app/x.json")).toBe(before);
  });

  it("login verifies the token and stores it 0600; later commands use it", async () => {
    const config = join(home, "login-config");
    const bad = await conifer(["login", "--token", "not-a-token"], "", {
      XDG_CONFIG_HOME: config,
      CONIFER_TOKEN: undefined,
    });
    expect(bad.code).toBe(5);
    await ok(["login", "--token", token], "", { XDG_CONFIG_HOME: config, CONIFER_TOKEN: undefined });
    const file = join(config, "conifer", "credentials.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ url: t.server.url, token });
    expect(await ok(["get", "/app/x.json"], "", { XDG_CONFIG_HOME: config, CONIFER_TOKEN: undefined })).toBe('{"v":1}');
  });

  it("rm with a stale --expect-version exits 4, then deletes", async () => {
    const v = await version("/app/y.yaml");
    expect((await conifer(["rm", "/app/y.yaml", "--expect-version", String(v + 5)])).code).toBe(4);
    await ok(["rm", "/app/y.yaml", "--expect-version", String(v)]);
    expect((await conifer(["get", "/app/y.yaml"])).code).toBe(3);
  });
});
