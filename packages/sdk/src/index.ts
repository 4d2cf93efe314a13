/** Public API of @conifer/sdk: the push-pull configuration client for Node applications. */
export { createClient, SDK_VERSION } from "./client.ts";
export type {
  ClientEvents,
  ConiferClient,
  ManyCallback,
  ReleaseCallback,
  ReleaseInfo,
  Snapshot,
  ValueMeta,
  WatchCallback,
} from "./types.ts";
export type { ClientOptions, Logger } from "./options.ts";
export type { ClientState } from "./link.ts";
export type { Format } from "./cache-store.ts";
export { SdkError, isSdkError } from "./errors.ts";
export type { SdkErrorCode, SdkErrorDetails } from "./errors.ts";
