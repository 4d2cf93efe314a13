/**
 * The audit log (admin): who did what, filtered by action, actor, path prefix and time, a page at
 * a time; and the actions and actors it holds, for the filters. Read-only: no update or delete
 * exists. (The export of every matching row is a streaming HTTP endpoint, apps/server.)
 */
import { z } from "zod";
import { zCursor, zDirection, zLimit, zNoInput, zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

/** The filter fields, shared with the export endpoint's query string. */
export const zAuditFilter = z.strictObject({
  path: zPathInput.optional(),
  author: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
});

export const auditRouter = router({
  list: protectedProcedure
    .input(zAuditFilter.extend({ limit: zLimit, cursor: zCursor, direction: zDirection }).default({}))
    .query(({ ctx, input }) => {
      ctx.allow("admin");
      return ctx.conifer.history.listAudit({ ...input, cursor: input.cursor ?? undefined });
    }),
  facets: protectedProcedure.input(zNoInput).query(({ ctx }) => {
    ctx.allow("admin");
    return ctx.conifer.history.auditFacets();
  }),
});
