/**
 * Backend credentials: with digest credentials the server's znodes (config nodes, their parents,
 * /conifer bookkeeping) carry CREATOR_ALL for the server's identity + READ for world, so another
 * client of the same backend can read but not change, delete or extend them. Checked against the
 * embedded engine, which enforces ZooKeeper ACLs (the ZooKeeper adapter gets the same ACL list).
 */
import { CoordinatorError, Perms, type Session } from "@conifer/coordinator";
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../src/index.ts";
import { client, start, tempDir } from "./helpers.ts";
import { useServer } from "./server-fixture.ts";

let server: RunningServer;
const sessions: Session[] = [];

useServer({
  prefix: "conifer-acl-",
  config: { backendDigest: "conifer:s3cret-digest" },
  ready: (s) => {
    server = s;
  },
  closing: async () => {
    for (const s of sessions) await s.close().catch(() => {});
  },
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CoordinatorError) return err.code;
    throw err;
  }
  return "OK";
}

describe("backend ACLs", () => {
  it("other clients read Conifer's znodes but cannot change, delete, extend or re-ACL them", async () => {
    await client(server).config.create.mutate({ path: "/acl/app.json", content: '{"a":1}' });
    const outsider = await server.backend.connect();
    sessions.push(outsider);
    const acl = await outsider.getACL("/acl/app.json");
    expect(acl.acl).toHaveLength(2);
    expect(acl.acl.find((a) => a.id.scheme === "digest")).toMatchObject({
      perms: Perms.ALL,
      id: { id: expect.stringMatching(/^conifer:/) as unknown },
    });
    expect(acl.acl.find((a) => a.id.scheme === "world")).toMatchObject({ perms: Perms.READ });
    expect((await outsider.getData("/acl/app.json")).data.toString()).toBe('{"a":1}');
    for (const path of ["/acl/app.json", "/acl", "/conifer", "/conifer/instances"]) {
      expect(await code(outsider.setData(path, Buffer.from("x")))).toBe("NO_AUTH");
      expect(await code(outsider.setACL(path, [{ perms: Perms.ALL, id: { scheme: "world", id: "anyone" } }]))).toBe(
        "NO_AUTH",
      );
    }
    expect(await code(outsider.delete("/acl/app.json"))).toBe("NO_AUTH");
    expect(await code(outsider.create("/acl/intruder", Buffer.from("x")))).toBe("NO_AUTH");

    // the same identity (another server process with the same credentials) may
    const peer = await server.backend.connect({ auth: [{ scheme: "digest", auth: "conifer:s3cret-digest" }] });
    sessions.push(peer);
    expect(await code(peer.setData("/acl/app.json", Buffer.from('{"a":2}')))).toBe("OK");
  });

  it("without credentials the server's znodes stay open (and the default stays usable)", async () => {
    const t = await tempDir("conifer-acl-open-");
    const open = await start(t.dir);
    try {
      await client(open).config.create.mutate({ path: "/open.json", content: "{}" });
      const s = await open.backend.connect();
      sessions.push(s);
      expect((await s.getACL("/open.json")).acl).toEqual([{ perms: Perms.ALL, id: { scheme: "world", id: "anyone" } }]);
    } finally {
      await open.close();
      await t.cleanup();
    }
  });
});
