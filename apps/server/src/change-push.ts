/**
 * Live change request activity for the console (issue 14), from whichever server sharing the
 * backend handled it (change-signal.ts): the review count in the top bar and
 * the author's view of the outcome update when something happens, not on a poll. Scoped: a
 * socket hears of a change when its principal wrote it, or may approve every key of it (a
 * reviewer never hears of changes on prefixes they may not approve). SDK sockets (API tokens
 * without approve rights, not the author) hear nothing.
 */
import { can, type ChangeEvent, type Conifer, type Principal } from "@conifer/core";
import type { IO } from "./socket-handlers.ts";

/** The name history and changes record for `p` (as the tRPC context's actor). */
function authorName(p: Principal): string {
  return p.kind === "token" ? `token:${p.name}` : p.name;
}

export function concerns(p: Principal, e: ChangeEvent): boolean {
  if (authorName(p) === e.activity.author) return true;
  return e.paths.length > 0 && e.paths.every((path) => can(p, "approve", path));
}

export function attachChangePush(io: IO, conifer: Conifer): () => void {
  return conifer.releases.onChange((e) => {
    const to: string[] = [];
    for (const socket of io.of("/").sockets.values()) {
      const p = socket.data.principal;
      if (p && concerns(p, e)) to.push(socket.id);
    }
    if (to.length > 0) io.to(to).emit("changeActivity", e.activity);
  });
}
