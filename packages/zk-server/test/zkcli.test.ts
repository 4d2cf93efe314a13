/**
 * Apache ZooKeeper's own CLI (Debian's zkCli.sh, a client nobody in this repo wrote) runs the
 * same session against the embedded engine's wire server and against a real ZooKeeper 3.8
 * started by the test; after zxids (renumbered by first appearance), times and session ids
 * are normalized, the two transcripts must be equal line for line.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runZkCli, startEnsemble, zkCliInstalled, zookeeperInstalled } from "@conifer/zookeeper/testing";
import type { Ensemble } from "@conifer/zookeeper/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWire } from "./fixture.ts";
import type { WireFixture } from "./fixture.ts";

const SESSION = readFileSync(fileURLToPath(new URL("./zkcli-session.txt", import.meta.url)), "utf8");
const available = zookeeperInstalled() && zkCliInstalled();

/** what is left of a transcript once what legitimately differs between two servers is masked */
export function normalize(transcript: string): string[] {
  const zxids = new Map<string, string>();
  return transcript
    .split("\n")
    .filter((l) => !/^(SLF4J|\d{4}-\d\d-\d\d |Connecting to )/.test(l))
    .map((l) =>
      l
        .replace(/^([cmp]Zxid = )(0x[0-9a-f]+)$/, (_, k: string, z: string) => {
          if (!zxids.has(z)) zxids.set(z, `Z${zxids.size + 1}`);
          return `${k}${zxids.get(z)}`;
        })
        .replace(/^([cm]time = ).*$/, "$1<time>")
        .replace(/^(ephemeralOwner = )0x[0-9a-f]*[1-9a-f][0-9a-f]*$/, "$1<session>"),
    );
}

describe.skipIf(!available)("zkCli.sh: the embedded engine answers as Apache ZooKeeper 3.8", () => {
  let wire: WireFixture;
  let zk: Ensemble;

  beforeAll(async () => {
    [wire, zk] = await Promise.all([startWire(), startEnsemble({ size: 1, tickTimeMs: 2000 })]);
  }, 300_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await wire?.stop();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await zk?.stop();
  });

  it("prints the same transcript for the issue's session", async () => {
    const [ours, theirs] = await Promise.all([
      runZkCli(wire.connectString, SESSION),
      runZkCli(zk.members[0]!.address, SESSION),
    ]);
    // the session really ran (guards against two equally broken transcripts)
    expect(theirs).toContain("Created /testnode01/node0000000001");
    expect(theirs).toContain("Node not empty: /testnode01");
    expect(normalize(ours)).toEqual(normalize(theirs));
  }, 300_000);
});
