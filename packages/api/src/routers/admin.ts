/** Administration (admin role on "/"): users and their role bindings, API tokens. Checks live in the auth service. */
import { ROLES } from "@conifer/core";
import { z } from "zod";
import type { Context } from "../context.ts";
import { zNoInput, zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

const zRole = z.enum(ROLES);
const zUserId = z.number().int().positive();

function origin(ctx: Context) {
  return { source: ctx.actor.source, ...(ctx.actor.ip ? { ip: ctx.actor.ip } : {}) };
}

export const usersRouter = router({
  list: protectedProcedure.input(zNoInput).query(({ ctx }) => ctx.auth.users.list(ctx.principal)),
  create: protectedProcedure
    .input(
      z.strictObject({
        username: z.string().min(1).max(64),
        password: z.string().min(1).max(1024),
        roles: z
          .array(z.strictObject({ pathPrefix: zPathInput, role: zRole }))
          .max(100)
          .default([]),
      }),
    )
    .mutation(({ ctx, input }) => ctx.auth.users.create(ctx.principal, input, origin(ctx))),
  setRole: protectedProcedure
    .input(z.strictObject({ userId: zUserId, pathPrefix: zPathInput, role: zRole.nullable() }))
    .mutation(({ ctx, input }) => ctx.auth.users.setRole(ctx.principal, input, origin(ctx))),
  setDisabled: protectedProcedure
    .input(z.strictObject({ userId: zUserId, disabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.auth.users.setDisabled(ctx.principal, input, origin(ctx));
      return { ok: true as const };
    }),
  delete: protectedProcedure.input(z.strictObject({ userId: zUserId })).mutation(async ({ ctx, input }) => {
    await ctx.auth.users.delete(ctx.principal, input, origin(ctx));
    return { ok: true as const };
  }),
  resetPassword: protectedProcedure
    .input(z.strictObject({ userId: zUserId, password: z.string().min(1).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.auth.users.resetPassword(ctx.principal, input, origin(ctx));
      return { ok: true as const };
    }),
});

const zLifetimeDays = z.number().int().min(1).max(3650);

export const tokensRouter = router({
  list: protectedProcedure.input(zNoInput).query(({ ctx }) => ctx.auth.tokens.list(ctx.principal)),
  create: protectedProcedure
    .input(
      z.strictObject({
        name: z.string().min(1).max(100),
        prefixes: z.array(zPathInput).min(1).max(50),
        access: z.enum(["read", "read-write"]),
        // absent: the installation's default lifetime; null: never expires
        expiresInDays: zLifetimeDays.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.auth.tokens.create(ctx.principal, input, origin(ctx))),
  settings: protectedProcedure.input(zNoInput).query(({ ctx }) => ctx.auth.tokens.settings(ctx.principal)),
  setDefaultLifetime: protectedProcedure
    .input(z.strictObject({ days: zLifetimeDays.nullable() }))
    .mutation(({ ctx, input }) => ctx.auth.tokens.setDefaultLifetime(ctx.principal, input.days, origin(ctx))),
  revoke: protectedProcedure
    .input(z.strictObject({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => ctx.auth.tokens.revoke(ctx.principal, input.id, origin(ctx))),
});
