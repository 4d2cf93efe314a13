/**
 * @conifer/shared — browser-safe pieces the server, the SDK and the console all use, so each is
 * defined once: which paths are system bookkeeping, and the reconnect backoff.
 */
export { CONIFER_ROOT, INSTANCES_ROOT, isSystemPath } from "./system-paths.ts";
export { Backoff, backoffCap, fullJitterDelay } from "./backoff.ts";
export type { BackoffOptions } from "./backoff.ts";
