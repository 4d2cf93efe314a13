/** Browsing and searching the znode tree; a user sees the branches leading to what they may read. */
import { canBrowse, can } from "@conifer/core";
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const treeRouter = router({
  children: protectedProcedure.input(z.strictObject({ path: zPathInput })).query(async ({ ctx, input }) => {
    if (!canBrowse(ctx.principal, input.path)) ctx.allow("read", input.path);
    const listing = await ctx.conifer.config.children(input.path);
    return { ...listing, children: listing.children.filter((c) => canBrowse(ctx.principal, c.path)) };
  }),
  search: protectedProcedure
    .input(
      z.strictObject({
        query: z.string().min(1).max(500),
        mode: z.enum(["path", "content"]),
        under: zPathInput.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      if (input.under && !canBrowse(ctx.principal, input.under)) ctx.allow("read", input.under);
      const result = await ctx.conifer.search(input);
      return { ...result, matches: result.matches.filter((m) => can(ctx.principal, "read", m.path)) };
    }),
});
