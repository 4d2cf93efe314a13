/**
 * The one tRPC init file: context type, error formatting (data.conifer) and the procedure
 * builders every router uses. Errors are translated by `mapErrors` (errors.ts holds the table).
 */
import { authorize, ConfigError, type Action } from "@conifer/core";
import { CoordinatorError } from "@conifer/coordinator";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Context } from "./context.ts";
import { coniferData, toTRPCError } from "./errors.ts";

const t = initTRPC.context<Context>().create({
  // never ship stack traces to browsers
  isDev: false,
  errorFormatter({ shape, error }) {
    const conifer = coniferData(error);
    return { ...shape, message: conifer.message, data: { ...shape.data, conifer } };
  },
});

/** Domain, backend and input errors become TRPCErrors with the right code, here and only here. */
const mapErrors = t.middleware(async ({ next }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (
      cause instanceof ConfigError ||
      cause instanceof CoordinatorError ||
      cause instanceof ZodError ||
      cause?.name === "HistoryError"
    )
      throw toTRPCError(cause);
    if (!(res.error instanceof TRPCError)) throw toTRPCError(res.error);
  }
  return res;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone may call it: only `auth.login`. */
export const publicProcedure = t.procedure.use(mapErrors);

/**
 * Every other procedure: a principal is required (session cookie or API token), and a mutation
 * authenticated by cookie must carry the CSRF double-submit token from this origin. What the
 * principal may do where is then asked of the one authorization module (`ctx.allow`).
 */
export const protectedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (!ctx.principal) throw new ConfigError("UNAUTHENTICATED", "Sign in (or send an API token) first");
  if (type === "mutation" && ctx.via === "session" && !ctx.csrfOk) {
    throw new ConfigError(
      "FORBIDDEN",
      "Missing or wrong CSRF token (x-csrf-token must match the conifer_csrf cookie, from this origin)",
      { reason: "csrf" },
    );
  }
  const principal = ctx.principal;
  return next({ ctx: { principal, allow: (action: Action, path?: string) => authorize(principal, action, path) } });
});
