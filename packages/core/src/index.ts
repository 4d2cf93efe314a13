/**
 * Public API of @conifer/core, what the transports (api, server) use: the Conifer facade, the
 * product's error with its one table, the accounts and permission policy, and the few domain
 * names the routers need. Everything else stays inside the package.
 */
export { Conifer } from "./conifer.ts";
export type { WireDoorDTO, WireDoorSource, WireSessionDTO } from "./wire-door.ts";
export { CONFIG_ERROR_CODES, ConfigError, toConfigError } from "./errors.ts";
export type { ConfigErrorBody } from "./errors.ts";
export { ERROR_TRANSPORT, httpError, socketError } from "./error-transport.ts";
export type { Actor, AuditEntryDTO, WriteSource } from "./dto.ts";
export type { AuditFilter } from "./audit-log.ts";
export { configPathProblem } from "./paths.ts";
export { matches, parseSelector } from "./label-selector.ts";
export type { LabelSelector, SelectorTerm } from "./label-selector.ts";
export { BUCKETS, bucketOf, isTargeted, parseGrayTarget } from "./gray/gray-target.ts";
export type { GrayTarget, GrayTargetInput, TargetedInstance } from "./gray/gray-target.ts";
export type { GrayEntry, GrayKey, GrayRecord, GrayState } from "./gray/gray-record.ts";
export type { GrayStartInput } from "./gray/gray-service.ts";
export type { GrayChange } from "./gray/gray-view.ts";
export { consoleLogger } from "./logger.ts";
export type { Logger } from "./logger.ts";
export { AuthService } from "./auth/auth-service.ts";
export { clearedCookies, header, readCredentials, sessionCookies } from "./auth/credentials.ts";
export type { Credentials, HeaderBag } from "./auth/credentials.ts";
export { ROLES, authorize, can, canBrowse, permissionsOf, prefixesFor } from "./auth/authz.ts";
export type { Action, Principal } from "./auth/authz.ts";
export { nodePolicy } from "./node-acl.ts";
export type { EnvDifference, EnvironmentComparison, EnvKey, EnvKeySide } from "./environments.ts";
export { CHANGE_STATUSES } from "@conifer/history";
export type { Caller } from "./releases/caller.ts";
export type { ChangeEvent } from "./releases/change-events.ts";
export type { PromoteRequest } from "./releases/promote.ts";
