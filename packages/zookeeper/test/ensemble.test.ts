/**
 * The test ensemble refuses a member port that another process answers on: a port probed free
 * can be taken before the JVM binds it, and tests talking to the wrong server fail far from the
 * cause (a CI run once read another ensemble's tree).
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fourLetterWord } from "../src/fourLetter.ts";
import { startEnsemble, zookeeperInstalled, type Ensemble } from "../src/testing/index.ts";

describe.skipIf(!zookeeperInstalled())("test ensemble", () => {
  let started: Ensemble | undefined;
  const ensemble = (): Ensemble => {
    if (!started) throw new Error("ensemble not started");
    return started;
  };
  beforeAll(async () => {
    started = await startEnsemble({ size: 1 });
  }, 300_000);
  afterAll(async () => {
    await started?.stop();
  });

  it("each member's client port is served by that member's own JVM", async () => {
    const [m] = ensemble().members;
    const conf = await fourLetterWord("127.0.0.1", m!.clientPort, "conf");
    expect(conf).toContain(m!.dataDir);
  });

  it("a restart whose client port another process took fails with a message naming the port", async () => {
    const m = ensemble().members[0]!;
    await ensemble().kill(m.id);
    // a stranger that answers every four-letter word like a standalone server
    const stranger = net.createServer((sock) => {
      sock.once("data", () => sock.end("Zookeeper version: stranger\nMode: standalone\n"));
    });
    await new Promise<void>((resolve) => stranger.listen(m.clientPort, "127.0.0.1", resolve));
    try {
      await expect(ensemble().start(m.id)).rejects.toThrow(
        new RegExp(
          `port ${m.clientPort} of ZooKeeper member ${m.id} is served by another process|member ${m.id} exited`,
        ),
      );
      await ensemble().kill(m.id);
    } finally {
      await new Promise((resolve) => stranger.close(resolve));
    }
    await ensemble().start(m.id);
    expect(await fourLetterWord("127.0.0.1", m.clientPort, "conf")).toContain(m.dataDir);
  }, 300_000);
});
