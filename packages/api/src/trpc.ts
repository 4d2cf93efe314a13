/**
 * The one tRPC init file: context type, error formatting (data.conifer) and the procedure
 * builders every router uses. Errors are translated by `mapErrors` (errors.ts holds the table).
 */
import { ConfigError } from "@conifer/core";
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
    if (cause instanceof ConfigError || cause instanceof CoordinatorError || cause instanceof ZodError || cause?.name === "HistoryError") throw toTRPCError(cause);
    if (!(res.error instanceof TRPCError)) throw toTRPCError(res.error);
  }
  return res;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone may call it (today: everything). */
export const publicProcedure = t.procedure.use(mapErrors);

// ─── protectedProcedure ────────────────────────────────────────────────────────────────────
// Reserved for the security issue: once accounts exist, a middleware here will require a
// signed-in user (and roles for writes) and set ctx.actor from the session instead of headers.
// Until then mutations use publicProcedure; swap them to protectedProcedure when it lands.
// export const protectedProcedure = publicProcedure.use(requireUser);
// ────────────────────────────────────────────────────────────────────────────────────────────
