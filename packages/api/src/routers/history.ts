/** Versions of a path: list, one version, diffs, rollback. */
import { z } from "zod";
import { zCursor, zLimit, zMessage, zPathInput, zVersion } from "../inputs.ts";
import { publicProcedure, router } from "../trpc.ts";

const zId = z.string().regex(/^\d{1,20}$/, "history id must be a decimal string");

export const historyRouter = router({
  list: publicProcedure
    .input(z.object({ path: zPathInput, limit: zLimit, cursor: zCursor }))
    .query(({ ctx, input }) => ctx.conifer.history.list({ path: input.path, limit: input.limit, cursor: input.cursor ?? undefined })),
  get: publicProcedure.input(z.object({ id: zId })).query(({ ctx, input }) => ctx.conifer.history.get(input.id)),
  diff: publicProcedure
    .input(z.union([z.object({ fromId: zId, toId: zId }), z.object({ path: zPathInput, fromId: zId, toId: z.literal("live") })]))
    .query(({ ctx, input }) => ctx.conifer.history.diff(input)),
  rollback: publicProcedure
    .input(z.object({ path: zPathInput, toId: zId, expectedVersion: zVersion, message: zMessage }))
    .mutation(({ ctx, input }) => ctx.conifer.history.rollback(ctx.actor, input)),
});
