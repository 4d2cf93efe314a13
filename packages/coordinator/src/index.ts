/** Public API of @conifer/coordinator. The contract suite is exported separately as ./contract. */
export { CoordinatorError, ErrorCode, errorCodeName } from "./errors.ts";
export type { ErrorCodeName, ErrorCodeNumber } from "./errors.ts";
export {
  AddWatchMode,
  CREATOR_ALL_ACL,
  CreateMode,
  EventType,
  OPEN_ACL_UNSAFE,
  Perms,
  READ_ACL_UNSAFE,
  WatcherType,
} from "./types.ts";
export type {
  ACL,
  AclResult,
  AddWatchModeName,
  ChildrenResult,
  CreateModeFlag,
  CreateModeName,
  CreateOptions,
  CreateResult,
  DataResult,
  EventTypeName,
  Id,
  MultiResult,
  Op,
  OpResult,
  SessionState,
  Stat,
  StatResult,
  WatchEvent,
  Watcher,
  WatcherTypeName,
  WriteResult,
} from "./types.ts";
export type { Backend, BackendInfo, BackendMember, Session, SessionOptions, StateListener } from "./coordinator.ts";
export { assertValidPath, baseName, isValidPath, isWithin, joinPath, parentOf, pathProblem } from "./paths.ts";
