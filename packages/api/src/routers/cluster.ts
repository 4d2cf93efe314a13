/** What the backend is and how its members are doing; the ZooKeeper client port of an embedded install. */
import { zNoInput } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const clusterRouter = router({
  info: protectedProcedure.input(zNoInput).query(({ ctx }) => ctx.conifer.clusterInfo()),
  zookeeper: protectedProcedure.input(zNoInput).query(({ ctx }) => ctx.conifer.wireDoorInfo()),
});
