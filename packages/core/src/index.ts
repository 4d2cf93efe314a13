/** Public API of @conifer/core: the Conifer composition root, its services' shapes, ConfigError. */
export { Conifer } from "./conifer.ts";
export type { ClusterInfoDTO, ConiferOptions } from "./conifer.ts";
export { CONFIG_ERROR_CODES, ConfigError, toConfigError } from "./errors.ts";
export type { ConfigErrorBody, ConfigErrorCode, ConfigErrorDetails, ConflictState } from "./errors.ts";
export { ERROR_TRANSPORT, httpError, socketError } from "./error-transport.ts";
export {
  bearer,
  clearedCookies,
  CSRF_COOKIE,
  CSRF_HEADER,
  header,
  parseCookies,
  readCredentials,
  sameOriginOf,
  SESSION_COOKIE,
  sessionCookies,
} from "./auth/credentials.ts";
export type { Credentials, HeaderBag } from "./auth/credentials.ts";
export { isSequentialName, kindOf, toStatDTO } from "./dto.ts";
export type {
  Actor,
  AuditEntryDTO,
  Format,
  HistoryEntryDTO,
  HistorySource,
  NodeKind,
  StatDTO,
  WriteSource,
} from "./dto.ts";
export type { ChildEntry, ConfigNode, CreateMode } from "./config-service.ts";
export type { DiffResult } from "./history-service.ts";
export type { SearchMatch, SearchResult } from "./search.ts";
export type { InstanceView } from "./instance-registry.ts";
export type { FeedListeners } from "./change-feed.ts";
export type { HistoryPort } from "./history-port.ts";
export { CONIFER_ROOT, INSTANCES_ROOT, configPathProblem, isSystemPath } from "./paths.ts";
export { consoleLogger, silentLogger } from "./logger.ts";
export type { Logger } from "./logger.ts";
export { AuthService, DEFAULT_AUTH_POLICY } from "./auth/auth-service.ts";
export type { AuthPolicy, RequestOrigin, Revocation, TokenView, UserView } from "./auth/auth-service.ts";
export { ROLES, authorize, can, canBrowse, isRole, permissionsOf, prefixesFor } from "./auth/authz.ts";
export type { Action, Principal, Role, RoleGrant } from "./auth/authz.ts";
export { nodePolicy, PROTECTED_ACL } from "./node-acl.ts";
export type { NodePolicy } from "./node-acl.ts";
