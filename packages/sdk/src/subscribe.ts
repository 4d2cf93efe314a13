/**
 * Subscribes paths on the given connection and hands the answers to their trackers. A batch
 * the server refuses is retried path by path, so one path it will not serve (e.g. a rule
 * stricter than ours) cannot keep every other path, or the whole connection, from working.
 */
import { zVersionInfo, type VersionInfo } from "@conifer/protocol";
import { RemoteError, type Link } from "./link.ts";
import type { PathTracker } from "./path-tracker.ts";

export async function subscribePaths(
  link: Link,
  paths: string[],
  epoch: number,
  trackerOf: (path: string) => PathTracker | undefined,
): Promise<void> {
  for (let i = 0; i < paths.length; i += 1000) {
    const chunk = paths.slice(i, i + 1000);
    let infos: VersionInfo[];
    try {
      infos = await link.request<VersionInfo[]>((s) => s.emitWithAck("subscribe", { paths: chunk }));
    } catch (e) {
      if (!(e instanceof RemoteError)) throw e; // transport trouble: the caller reconnects / retries
      const [only] = chunk;
      if (chunk.length === 1 && only !== undefined) {
        trackerOf(only)?.reject(`the server refused ${only}: ${e.message}`, epoch);
        continue;
      }
      for (const p of chunk) await subscribePaths(link, [p], epoch, trackerOf);
      continue;
    }
    if (epoch !== link.epoch) return;
    for (const raw of infos) {
      const info = zVersionInfo.safeParse(raw);
      const t = info.success ? trackerOf(info.data.path) : undefined;
      if (info.success && t) t.hint(info.data, undefined, epoch);
    }
  }
}
