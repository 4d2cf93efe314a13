/** Public API of @conifer/protocol: the wire contract between server, SDK and console. */
export type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "./events.ts";
export {
  zApplied,
  zConfigSnapshot,
  zFetch,
  zHello,
  zPath,
  zSubscribe,
  zVersionInfo,
  zWatchTree,
  zZxid,
} from "./notices.ts";
export { labelKeyProblem, labelValueProblem, MAX_LABELS, zLabels } from "./labels.ts";
export type { Labels } from "./labels.ts";
export type { ChangeActivity } from "./change-activity.ts";
export type { ChangeGroup, ChangeNotice, ConfigSnapshot, Hello, TreeEvent, VersionInfo } from "./notices.ts";
/** socket.io path the server mounts its gateway on */
export const SOCKET_PATH = "/socket.io";
