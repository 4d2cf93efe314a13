/** Shapes of what the server returns, inferred from the AppRouter type (never redeclared). */
import type { AppRouter } from "@conifer/api";
import type { inferRouterOutputs } from "@trpc/server";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type NodeData = RouterOutputs["config"]["get"];
export type StatData = NodeData["stat"];
export type HistoryItem = RouterOutputs["history"]["list"]["items"][number];
