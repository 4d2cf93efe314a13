/**
 * Browsing and searching the znode tree as the caller may see it (core's scoped-view.ts): the
 * branches leading to what they may read, counts of what they may see, system subtrees on an
 * admin's request only.
 */
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const treeRouter = router({
  children: protectedProcedure
    .input(z.strictObject({ path: zPathInput, includeSystem: z.boolean().optional() }))
    .query(({ ctx, input }) => ctx.conifer.browse(ctx.principal, input.path, { includeSystem: input.includeSystem })),
  search: protectedProcedure
    .input(
      z.strictObject({
        query: z.string().min(1).max(500),
        mode: z.enum(["path", "content"]),
        under: zPathInput.optional(),
        limit: z.number().int().min(1).max(500).optional(),
        includeSystem: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.conifer.search(ctx.principal, input)),
});
