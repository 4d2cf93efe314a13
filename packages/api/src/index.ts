/** Public API of @conifer/api: the router (its type is all the console imports) and its context. */
export { appRouter } from "./root.ts";
export type { AppRouter } from "./root.ts";
export { actorFromHeaders, createContext } from "./context.ts";
export type { Context } from "./context.ts";
export { createCallerFactory } from "./trpc.ts";
export { coniferData, toConfigError, toTRPCError, TRPC_CODE } from "./errors.ts";
export type { ConiferErrorData } from "./errors.ts";
