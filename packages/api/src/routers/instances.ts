/** Connected SDK instances (from their ephemeral znodes) and how far behind each one is, as the caller may see them. */
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const instancesRouter = router({
  list: protectedProcedure
    .input(z.strictObject({ path: zPathInput.optional() }).default({}))
    .query(async ({ ctx, input }) => ({ instances: await ctx.conifer.listInstances(ctx.principal, input.path) })),
});
