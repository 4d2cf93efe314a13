/**
 * A console-like socket.io client for the change-activity suites: signed in as a user with the
 * session cookie from the server's own origin, recording every `changeActivity` it hears.
 */
import type { ChangeActivity, ClientToServerEvents, ServerToClientEvents } from "@conifer/protocol";
import { connect, type Socket } from "socket.io-client";
import { sessionHeaders } from "./auth.ts";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects to `url` as `user`; the socket is pushed onto `sockets` (the suite disconnects them). */
export async function changeListener(url: string, user: string, sockets: ClientSocket[]): Promise<ChangeActivity[]> {
  const session = await sessionHeaders(url, user);
  const s: ClientSocket = connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie: session.cookie, origin: url },
  });
  sockets.push(s);
  const heard: ChangeActivity[] = [];
  s.on("changeActivity", (a) => heard.push(a));
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return heard;
}
