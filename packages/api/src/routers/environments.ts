/**
 * Environments: compare two prefixes key by key and field by field (read on both), and promote
 * selected keys or fields from one to the other as a draft change request (read on the source,
 * propose on the target). The checks are in core.
 */
import type { Caller } from "@conifer/core";
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

const zKey = z.string().min(1).max(1000);
const zFieldPath = z.array(z.union([z.string().max(1000), z.number().int().min(0)])).max(100);

export const environmentsRouter = router({
  compare: protectedProcedure
    .input(z.strictObject({ left: zPathInput, right: zPathInput }))
    .query(({ ctx, input }) => ctx.conifer.compareEnvironments(ctx.principal, input.left, input.right)),
  promote: protectedProcedure
    .input(
      z.strictObject({
        from: zPathInput,
        to: zPathInput,
        keys: z.array(zKey).max(500).optional(),
        fields: z
          .array(z.strictObject({ key: zKey, paths: z.array(zFieldPath).min(1).max(500) }))
          .max(500)
          .optional(),
        keepTargetOverrides: z.boolean().optional(),
        title: z.string().max(200).optional(),
        message: z.string().max(10_000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const caller: Caller = { principal: ctx.principal, actor: ctx.actor };
      return ctx.conifer.releases.promote(caller, input);
    }),
});
