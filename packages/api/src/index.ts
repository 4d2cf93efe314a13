/** Public API of @conifer/api: the router (its type is all the console imports) and its context. */
export { appRouter } from "./root.ts";
export type { AppRouter } from "./root.ts";
export { actorOf, createContext, sourceFromHeaders } from "./context.ts";
export type { Context } from "./context.ts";
export { createCallerFactory } from "./trpc.ts";
