/** Storage of publish policies per path prefix (issue 14): `direct` or `review` with N approvals. */
import type { Db } from "./client.ts";
import type { PolicyRecord } from "./release-types.ts";
import { without, type Guard } from "./release-rows.ts";

export interface PolicyStore {
  policies(): Promise<PolicyRecord[]>;
  setPolicy(p: Omit<PolicyRecord, "updatedAt">): Promise<PolicyRecord>;
  removePolicy(prefix: string): Promise<boolean>;
}

export function policyStore(db: Db, guard: Guard): PolicyStore {
  return {
    policies: () =>
      guard("policies", async () =>
        (await db.publishPolicy.findMany({ orderBy: { prefix: "asc" } })).map((r) => ({
          ...without(r, "id"),
          mode: r.mode as PolicyRecord["mode"],
          updatedAt: r.updatedAt.getTime(),
        })),
      ),
    setPolicy: (p) =>
      guard("setPolicy", async () => {
        const data = {
          mode: p.mode,
          approvalsRequired: p.approvalsRequired,
          updatedBy: p.updatedBy,
          updatedAt: new Date(),
        };
        const r = await db.publishPolicy.upsert({
          where: { prefix: p.prefix },
          create: { prefix: p.prefix, ...data },
          update: data,
        });
        return { ...p, updatedAt: r.updatedAt.getTime() };
      }),
    removePolicy: (prefix) =>
      guard("removePolicy", async () => (await db.publishPolicy.deleteMany({ where: { prefix } })).count === 1),
  };
}
