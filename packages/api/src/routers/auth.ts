/**
 * Signing in and out, who am I (with the permissions the console uses to hide controls), and
 * changing one's own password. `login` is the only procedure callable without credentials.
 */
import { randomBytes } from "node:crypto";
import { clearedCookies, ConfigError, permissionsOf, sessionCookies } from "@conifer/core";
import { z } from "zod";
import type { Context } from "../context.ts";
import { zNoInput } from "../inputs.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";

const zPassword = z.string().min(1).max(1024);

function origin(ctx: Context) {
  return { source: ctx.actor.source, ...(ctx.actor.ip ? { ip: ctx.actor.ip } : {}) };
}

export const authRouter = router({
  login: publicProcedure
    .input(z.strictObject({ username: z.string().min(1).max(64), password: zPassword }))
    .mutation(async ({ ctx, input }) => {
      // a cross-site page must not sign a victim into the attacker's account (login CSRF)
      if (!ctx.sameOrigin) throw new ConfigError("FORBIDDEN", "Cross-origin sign-in refused", { reason: "origin" });
      const { secret, principal, expiresAt } = await ctx.auth.login(input.username, input.password, origin(ctx));
      const csrf = randomBytes(24).toString("base64url");
      ctx.setCookies(sessionCookies(secret, csrf, Math.floor((expiresAt - Date.now()) / 1000), ctx.secure));
      return {
        user: principal.name,
        csrfToken: csrf,
        mustChangePassword: principal.kind === "user" && principal.mustChangePassword,
      };
    }),
  logout: protectedProcedure.input(zNoInput).mutation(async ({ ctx }) => {
    await ctx.auth.logout(ctx.principal, origin(ctx));
    ctx.setCookies(clearedCookies(ctx.secure));
    return { ok: true as const };
  }),
  me: protectedProcedure.input(zNoInput).query(({ ctx }) => {
    const p = ctx.principal;
    return {
      name: p.name,
      kind: p.kind,
      mustChangePassword: p.kind === "user" && p.mustChangePassword,
      roles: p.kind === "user" ? p.grants : [],
      permissions: permissionsOf(p),
    };
  }),
  changePassword: protectedProcedure
    .input(z.strictObject({ current: zPassword, next: zPassword }))
    .mutation(async ({ ctx, input }) => {
      await ctx.auth.changePassword(ctx.principal, input.current, input.next, origin(ctx));
      return { ok: true as const };
    }),
});
