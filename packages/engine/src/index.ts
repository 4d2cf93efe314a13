/** Public API of @conifer/engine: the embedded coordination engine. */
export { Engine } from "./engine.ts";
export type { EngineSessionOptions, EngineStats } from "./engine.ts";
export type { EngineOptions } from "./options.ts";
export { digestOf } from "./acl.ts";
