/** The root router: one sub-router per domain. */
import { tokensRouter, usersRouter } from "./routers/admin.ts";
import { auditRouter } from "./routers/audit.ts";
import { authRouter } from "./routers/auth.ts";
import { clusterRouter } from "./routers/cluster.ts";
import { configRouter } from "./routers/config.ts";
import { environmentsRouter } from "./routers/environments.ts";
import { grayRouter } from "./routers/gray.ts";
import { historyRouter } from "./routers/history.ts";
import { instancesRouter } from "./routers/instances.ts";
import { changesRouter, releasesRouter } from "./routers/releases.ts";
import { treeRouter } from "./routers/tree.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  tokens: tokensRouter,
  tree: treeRouter,
  config: configRouter,
  environments: environmentsRouter,
  history: historyRouter,
  audit: auditRouter,
  instances: instancesRouter,
  cluster: clusterRouter,
  changes: changesRouter,
  releases: releasesRouter,
  gray: grayRouter,
});

export type AppRouter = typeof appRouter;
