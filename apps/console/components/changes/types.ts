/** Shapes of change requests as the server returns them (inferred from the AppRouter, never redeclared). */
import type { RouterOutputs } from "../../lib/types.ts";

export type ChangeViewData = RouterOutputs["changes"]["get"];
export type ChangeData = ChangeViewData["change"];
export type ChangeStatus = ChangeData["status"];
export type ChangeItem = ChangeData["items"][number];
