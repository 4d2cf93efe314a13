/**
 * Gray releases (issue 16). Thin: validate, call `ctx.conifer.releases.gray`; the rights
 * (publish on every key, as release publishing) are checked by the domain functions.
 */
import type { Caller, GrayTargetInput } from "@conifer/core";
import { z } from "zod";
import type { Context } from "../context.ts";
import { zContent, zMessage, zNoInput, zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

const zGrayId = z.string().regex(/^g[0-9a-z]{6,40}$/, "not a gray release id");
const zTarget = z.strictObject({
  selector: z.string().max(1000).optional(),
  instances: z.array(z.string().min(1).max(200)).max(1000).optional(),
  hosts: z.array(z.string().min(1).max(255)).max(1000).optional(),
  percent: z.number().min(0).max(100).optional(),
}) satisfies z.ZodType<GrayTargetInput>;

const caller = (ctx: Context & { principal: NonNullable<Context["principal"]> }): Caller => ({
  principal: ctx.principal,
  actor: ctx.actor,
});

export const grayRouter = router({
  list: protectedProcedure.input(zNoInput).query(({ ctx }) => ctx.conifer.releases.gray.list(caller(ctx))),
  get: protectedProcedure
    .input(z.strictObject({ id: zGrayId }))
    .query(({ ctx, input }) => ctx.conifer.releases.gray.get(caller(ctx), input.id)),
  start: protectedProcedure
    .input(
      z.strictObject({
        title: z.string().max(200).optional(),
        keys: z
          .array(z.strictObject({ path: zPathInput, content: zContent }))
          .min(1)
          .max(50)
          .optional(),
        /** an approved change request instead of keys */
        changeId: z
          .string()
          .regex(/^\d{1,10}$/, "id must be a decimal string")
          .optional(),
        target: zTarget,
      }),
    )
    .mutation(({ ctx, input }) => ctx.conifer.releases.gray.start(caller(ctx), input)),
  updateTarget: protectedProcedure
    .input(z.strictObject({ id: zGrayId, target: zTarget }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.gray.updateTarget(caller(ctx), input.id, input.target)),
  abort: protectedProcedure
    .input(z.strictObject({ id: zGrayId }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.gray.abort(caller(ctx), input.id)),
  promote: protectedProcedure
    .input(z.strictObject({ id: zGrayId, message: zMessage }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.gray.promote(caller(ctx), input.id, input.message)),
});
