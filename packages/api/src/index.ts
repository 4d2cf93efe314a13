/** Public API of @conifer/api: the router (its type is all the console imports) and its request context. */
export { appRouter } from "./root.ts";
export type { AppRouter } from "./root.ts";
export { createContext } from "./context.ts";
/** The audit filter's fields, which the server's export endpoint reads from its query string. */
export { zAuditFilter } from "./routers/audit.ts";
