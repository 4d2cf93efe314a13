/** Versions of a path: list, one version, diffs (viewer), rollback and restore of a
 * deleted node (publisher). */
import { z } from "zod";
import { zCursor, zDirection, zLimit, zMessage, zPathInput, zVersion } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

const zId = z.string().regex(/^\d{1,20}$/, "history id must be a decimal string");

export const historyRouter = router({
  list: protectedProcedure
    .input(z.strictObject({ path: zPathInput, limit: zLimit, cursor: zCursor, direction: zDirection }))
    .query(({ ctx, input }) => {
      ctx.allow("read", input.path);
      return ctx.conifer.history.list({ path: input.path, limit: input.limit, cursor: input.cursor ?? undefined });
    }),
  get: protectedProcedure.input(z.strictObject({ id: zId })).query(async ({ ctx, input }) => {
    const entry = await ctx.conifer.history.get(input.id);
    ctx.allow("read", entry.path);
    return entry;
  }),
  diff: protectedProcedure
    .input(
      z.union([
        z.strictObject({ fromId: zId, toId: zId }),
        z.strictObject({ path: zPathInput, fromId: zId, toId: z.literal("live") }),
      ]),
    )
    .query(async ({ ctx, input }) => {
      // the ids name paths: check each before any content is compared
      for (const id of input.toId === "live" ? [input.fromId] : [input.fromId, input.toId])
        ctx.allow("read", (await ctx.conifer.history.get(id)).path);
      if ("path" in input) ctx.allow("read", input.path);
      return ctx.conifer.history.diff(input);
    }),
  rollback: protectedProcedure
    .input(z.strictObject({ path: zPathInput, toId: zId, expectedVersion: zVersion, message: zMessage }))
    .mutation(({ ctx, input }) => {
      ctx.allow("publish", input.path);
      return ctx.conifer.history.rollback(ctx.actor, input);
    }),
  restore: protectedProcedure
    .input(z.strictObject({ path: zPathInput, message: zMessage }))
    .mutation(({ ctx, input }) => {
      ctx.allow("publish", input.path);
      return ctx.conifer.history.restore(ctx.actor, input);
    }),
});
