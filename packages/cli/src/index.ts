/** @conifer/cli: the program as a function, for embedding and tests (the binary is bin/conifer.mjs). */
export { run } from "./program.ts";
export type { RunOptions } from "./program.ts";
export type { Io } from "./context.ts";
export { readEnv } from "./env.ts";
export type { CliEnv } from "./env.ts";
export { EXIT } from "./errors.ts";
export type { ExitCode } from "./errors.ts";
