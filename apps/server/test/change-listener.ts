/**
 * A console-like socket.io client for the change-activity suites: signed in as a user with the
 * session cookie from the server's own origin, recording every `changeActivity` it hears.
 */
import type { ChangeActivity } from "@conifer/protocol";
import { sessionHeaders } from "./auth.ts";
import { connected, type Sockets } from "./sockets.ts";

/** Connects to `url` as `user` through the suite's `sockets` (which disconnects them at its end). */
export async function changeListener(url: string, user: string, sockets: Sockets): Promise<ChangeActivity[]> {
  const session = await sessionHeaders(url, user);
  const s = sockets.open(url, { extraHeaders: { cookie: session.cookie, origin: url } });
  const heard: ChangeActivity[] = [];
  s.on("changeActivity", (a) => heard.push(a));
  await connected(s);
  return heard;
}
