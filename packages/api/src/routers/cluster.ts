/** What the backend is and how its members are doing. */
import { publicProcedure, router } from "../trpc.ts";

export const clusterRouter = router({
  info: publicProcedure.query(({ ctx }) => ctx.conifer.clusterInfo()),
});
