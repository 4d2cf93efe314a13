/** What the backend is and how its members are doing. */
import { protectedProcedure, router } from "../trpc.ts";

export const clusterRouter = router({
  info: protectedProcedure.query(({ ctx }) => ctx.conifer.clusterInfo()),
});
