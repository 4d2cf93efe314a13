/**
 * The one tRPC init file: context type, error formatting (data.conifer) and the procedure
 * builders every router uses. A failure becomes its ConfigError and tRPC code once, in
 * `toTransport` (errors.ts; the codes come from core's one table).
 */
import { authorize, ConfigError, toConfigError, type Action } from "@conifer/core";
import { initTRPC } from "@trpc/server";
import type { Context } from "./context.ts";
import { errorBody, toTRPCError } from "./errors.ts";

const t = initTRPC.context<Context>().create({
  // never ship stack traces to browsers
  isDev: false,
  errorFormatter({ shape, error }) {
    const conifer = errorBody(error);
    return { ...shape, message: conifer.message, data: { ...shape.data, conifer } };
  },
});

/**
 * Whatever a procedure threw (tRPC wraps it as the cause of an INTERNAL_SERVER_ERROR) and input
 * validation's ZodError become a ConfigError and a TRPCError with the table's code, here and
 * only here. tRPC's own refusals (e.g. PARSE_ERROR for a body that is not JSON) keep their code.
 */
const toTransport = t.middleware(async ({ next }) => {
  const res = await next();
  if (res.ok) return res;
  const { code, cause } = res.error;
  if (cause !== undefined && (code === "INTERNAL_SERVER_ERROR" || cause.name === "ZodError"))
    throw toTRPCError(toConfigError(cause));
  return res;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone may call it: only `auth.login`. */
export const publicProcedure = t.procedure.use(toTransport);

/**
 * Every other procedure: a principal is required (session cookie or API token), and a mutation
 * authenticated by cookie must carry the CSRF double-submit token from this origin. What the
 * principal may do where is then asked of the one authorization module (`ctx.allow`).
 */
export const protectedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (!ctx.principal) throw new ConfigError("UNAUTHENTICATED", ctx.refusal ?? "Sign in (or send an API token) first");
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
