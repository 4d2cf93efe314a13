/** Public API of @conifer/engine: the embedded coordination engine. */
export { Engine } from "./engine.ts";
export type { EngineSessionOptions, EngineStats } from "./engine-types.ts";
export type { EngineOptions } from "./options.ts";
export { digestOf } from "./acl.ts";
/** what Engine.open throws for its data dir (LOCKED: another live process holds it; UNRECOVERABLE, IO) */
export { StorageError } from "./storage/errors.ts";
export type { StorageErrorCode } from "./storage/errors.ts";
