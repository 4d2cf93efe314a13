/** Connected SDK instances (from their ephemeral znodes) and how far behind each one is, as the caller may see them. */
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const instancesRouter = router({
  list: protectedProcedure
    // the selector is parsed by core, whose INVALID_INPUT names the bad term and its position
    .input(z.strictObject({ path: zPathInput.optional(), selector: z.string().max(4096).optional() }).default({}))
    .query(async ({ ctx, input }) => ({
      instances: await ctx.conifer.listInstances(ctx.principal, input.path, input.selector),
    })),
});
