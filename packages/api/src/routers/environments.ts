/** Environments: compare two prefixes key by key and field by field (read on both, checked in core). */
import { z } from "zod";
import { zPathInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const environmentsRouter = router({
  compare: protectedProcedure
    .input(z.strictObject({ left: zPathInput, right: zPathInput }))
    .query(({ ctx, input }) => ctx.conifer.compareEnvironments(ctx.principal, input.left, input.right)),
});
