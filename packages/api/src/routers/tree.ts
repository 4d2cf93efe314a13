/** Browsing and searching the znode tree. */
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { publicProcedure, router } from "../trpc.ts";

export const treeRouter = router({
  children: publicProcedure.input(z.object({ path: zPathInput })).query(({ ctx, input }) => ctx.conifer.config.children(input.path)),
  search: publicProcedure
    .input(
      z.object({
        query: z.string().min(1).max(500),
        mode: z.enum(["path", "content"]),
        under: zPathInput.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.conifer.search(input)),
});
