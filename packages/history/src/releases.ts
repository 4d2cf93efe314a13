/**
 * Release storage (issue 14), composed of its three parts: change requests with their reviews
 * and comments (change-requests.ts), publish policies (publish-policies.ts) and releases
 * (release-records.ts). Only rows live here; the workflow (who may do what, the publish multi,
 * reconcile) is @conifer/core's.
 */
import type { Db } from "./client.ts";
import { changeRequestStore, type ChangeRequestStore } from "./change-requests.ts";
import { policyStore, type PolicyStore } from "./publish-policies.ts";
import { releaseRecordStore, type ReleaseRecordStore } from "./release-records.ts";
import type { Guard } from "./release-rows.ts";

export type ReleaseStore = ChangeRequestStore & PolicyStore & ReleaseRecordStore;

export function releaseStore(db: Db, guard: Guard): ReleaseStore {
  return { ...changeRequestStore(db, guard), ...policyStore(db, guard), ...releaseRecordStore(db, guard) };
}
