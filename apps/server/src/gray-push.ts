/**
 * Gray release changes to the SDK instances they switch (issue 16): when a gray starts, is
 * retargeted, aborted or promoted (on this server or another one sharing the backend), each
 * socket subscribed to one of its keys whose instance moves between gray and live content is
 * sent a `changed` notice with the version it is now served, and re-fetches like after any
 * change. Instances the change does not switch hear nothing. A promote also changes the live
 * keys, which the change feed announces to everybody as usual.
 */
import type { Conifer, GrayChange, Logger } from "@conifer/core";
import { pathRoom, type IO } from "./socket-handlers.ts";

export function attachGrayPush(io: IO, conifer: Conifer, log: Logger): () => void {
  const rooms = io.of("/").adapter.rooms;
  const push = async (c: GrayChange): Promise<void> => {
    const paths = new Set([...Object.keys(c.before?.record.keys ?? {}), ...Object.keys(c.after?.record.keys ?? {})]);
    for (const path of paths) {
      const members = rooms.get(pathRoom(path));
      if (!members || members.size === 0) continue;
      const live = await conifer.version(path);
      for (const id of members) {
        const socket = io.of("/").sockets.get(id);
        const inst = socket?.data.instance;
        if (!socket || !inst) continue;
        // still on the same content (a retarget that keeps it in or out): nothing to fetch
        if (conifer.grayReaches(c.before, inst) === conifer.grayReaches(c.after, inst)) continue;
        const v = conifer.servedVersion(live, inst);
        socket.emit("changed", { ...v, zxid: v.mzxid });
      }
    }
  };
  return conifer.onGray((c) => {
    push(c).catch((err: unknown) => log.warn(`gray release ${c.id}: notices not sent: ${(err as Error).message}`));
  });
}
