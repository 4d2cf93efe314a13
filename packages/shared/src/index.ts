/**
 * @conifer/shared — browser-safe pieces the server, the SDK and the console all use, so each is
 * defined once: which paths are system bookkeeping, the reconnect backoff, and the backend URL.
 */
export { CHANGE_SIGNALS_ROOT, CONIFER_ROOT, GRAY_ROOT, INSTANCES_ROOT, isSystemPath } from "./system-paths.ts";
export { Backoff, backoffCap, fullJitterDelay } from "./backoff.ts";
export type { BackoffOptions } from "./backoff.ts";
export {
  BACKEND_URL_FORMS,
  describeBackendUrl,
  describeZooKeeperAddress,
  parseBackendUrl,
  parseZooKeeperAddress,
} from "./backend-url.ts";
export type { BackendUrl, HostPort, ZooKeeperAddress } from "./backend-url.ts";
