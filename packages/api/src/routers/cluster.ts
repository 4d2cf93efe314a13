/** What the backend is and how its members are doing. */
import { zNoInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const clusterRouter = router({
  info: protectedProcedure.input(zNoInput).query(({ ctx }) => ctx.conifer.clusterInfo()),
});
