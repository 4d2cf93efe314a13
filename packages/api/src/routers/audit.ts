/** The audit log (admin): who did what, filtered by path prefix, author and time. Read-only: no update or delete exists. */
import { z } from "zod";
import { zCursor, zDirection, zLimit, zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: protectedProcedure
    .input(
      z
        .strictObject({
          path: zPathInput.optional(),
          author: z.string().max(200).optional(),
          since: z.number().int().nonnegative().optional(),
          until: z.number().int().nonnegative().optional(),
          limit: zLimit,
          cursor: zCursor,
          direction: zDirection,
        })
        .default({}),
    )
    .query(({ ctx, input }) => {
      ctx.allow("admin");
      return ctx.conifer.history.listAudit({ ...input, cursor: input.cursor ?? undefined });
    }),
});
