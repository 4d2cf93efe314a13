/** Public API of @conifer/api: the router (its type is all the console imports) and its context. */
export { appRouter } from "./root.ts";
export type { AppRouter } from "./root.ts";
export { actorOf, createContext, sourceFromHeaders } from "./context.ts";
export {
  bearer,
  clearedCookies,
  CSRF_COOKIE,
  CSRF_HEADER,
  parseCookies,
  readCredentials,
  sameOriginOf,
  SESSION_COOKIE,
  sessionCookies,
} from "./credentials.ts";
export type { Credentials } from "./credentials.ts";
export type { Context } from "./context.ts";
export { createCallerFactory } from "./trpc.ts";
export { coniferData, toConfigError, toTRPCError, TRPC_CODE } from "./errors.ts";
export type { ConiferErrorData } from "./errors.ts";
