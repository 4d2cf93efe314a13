/** Reading, validating and writing config nodes. */
import { z } from "zod";
import { zMessage, zPathInput, zVersion } from "../inputs.ts";
import { publicProcedure, router } from "../trpc.ts";

const zContent = z.string().max(16 * 1024 * 1024);

export const configRouter = router({
  get: publicProcedure.input(z.object({ path: zPathInput })).query(({ ctx, input }) => ctx.conifer.config.get(input.path)),
  validate: publicProcedure.input(z.object({ path: zPathInput, content: zContent })).query(({ ctx, input }) => ctx.conifer.config.validate(input.path, input.content)),
  create: publicProcedure
    .input(z.object({ path: zPathInput, content: zContent, mode: z.enum(["persistent", "persistent_sequential", "container"]).default("persistent"), message: zMessage }))
    .mutation(({ ctx, input }) => ctx.conifer.config.create(ctx.actor, input)),
  update: publicProcedure
    .input(z.object({ path: zPathInput, content: zContent, expectedVersion: zVersion, message: zMessage }))
    .mutation(({ ctx, input }) => ctx.conifer.config.update(ctx.actor, input)),
  delete: publicProcedure
    .input(z.object({ path: zPathInput, expectedVersion: zVersion, recursive: z.boolean().optional(), message: zMessage }))
    .mutation(({ ctx, input }) => ctx.conifer.config.delete(ctx.actor, input)),
});
