import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { credentialsFile, loadCredentials, saveCredentials } from "./credentials.ts";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("credentials", () => {
  it("are stored with mode 0600 and read back", async () => {
    dir = await mkdtemp(join(tmpdir(), "conifer-cli-"));
    const configDir = join(dir, "conifer");
    const file = await saveCredentials(configDir, { url: "http://127.0.0.1:1", token: "secret" });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadCredentials(configDir)).toEqual({ url: "http://127.0.0.1:1", token: "secret" });
  });

  it("narrow an existing, readable file to 0600", async () => {
    dir = await mkdtemp(join(tmpdir(), "conifer-cli-"));
    await writeFile(credentialsFile(dir), "{}", { mode: 0o644 });
    await saveCredentials(dir, { url: "u", token: "t" });
    expect((await stat(credentialsFile(dir))).mode & 0o777).toBe(0o600);
  });

  it("are absent before a login", async () => {
    dir = await mkdtemp(join(tmpdir(), "conifer-cli-"));
    expect(await loadCredentials(dir)).toBeUndefined();
  });
});
