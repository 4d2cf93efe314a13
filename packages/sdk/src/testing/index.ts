/**
 * @conifer/sdk/testing — fixtures for tests that drive SDK clients, in this and other packages
 * (not for application code): a client pool closed after each test, a delivery recorder, and
 * polling with a deadline.
 */
export { clientPool, recorder, strictlyIncreasing } from "./clients.ts";
export type { ClientPool, PoolDefaults, Recorder } from "./clients.ts";
export { eventually } from "./eventually.ts";
