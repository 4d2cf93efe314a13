/** Connected SDK instances (from their ephemeral znodes) and how far behind each one is. */
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { publicProcedure, router } from "../trpc.ts";

export const instancesRouter = router({
  list: publicProcedure
    .input(z.object({ path: zPathInput.optional() }).default({}))
    .query(async ({ ctx, input }) => ({ instances: await ctx.conifer.instances.list(input.path) })),
});
