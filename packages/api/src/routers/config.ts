/** Reading, validating and writing config nodes (read: viewer; create/update/delete: editor). */
import { z } from "zod";
import { zContent, zMessage, zPathInput, zVersion } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const configRouter = router({
  // the child count is what the caller is shown (system subtrees only for an admin who asks)
  get: protectedProcedure
    .input(z.strictObject({ path: zPathInput, includeSystem: z.boolean().optional() }))
    .query(({ ctx, input }) => ctx.conifer.read(ctx.principal, input.path, { includeSystem: input.includeSystem })),
  validate: protectedProcedure
    .input(z.strictObject({ path: zPathInput, content: zContent }))
    .query(({ ctx, input }) => {
      ctx.allow("read", input.path);
      return ctx.conifer.config.validate(input.path, input.content);
    }),
  create: protectedProcedure
    .input(
      z.strictObject({
        path: zPathInput,
        content: zContent,
        mode: z.enum(["persistent", "persistent_sequential", "container"]).default("persistent"),
        message: zMessage,
      }),
    )
    .mutation(({ ctx, input }) => {
      ctx.allow("write", input.path);
      return ctx.conifer.config.create(ctx.actor, input);
    }),
  update: protectedProcedure
    .input(z.strictObject({ path: zPathInput, content: zContent, expectedVersion: zVersion, message: zMessage }))
    .mutation(({ ctx, input }) => {
      ctx.allow("write", input.path);
      return ctx.conifer.config.update(ctx.actor, input);
    }),
  delete: protectedProcedure
    .input(
      z.strictObject({
        path: zPathInput,
        expectedVersion: zVersion,
        recursive: z.boolean().optional(),
        message: zMessage,
      }),
    )
    .mutation(({ ctx, input }) => {
      ctx.allow("write", input.path);
      return ctx.conifer.config.delete(ctx.actor, input);
    }),
});
