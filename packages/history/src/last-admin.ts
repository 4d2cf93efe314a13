/**
 * The one account change that must keep an enabled admin on "/": applied in a transaction
 * serialized with every other such change (also other server processes' on the same database)
 * and rolled back when it would leave no admin.
 */
import type { AdminAffectingChange } from "./account-types.ts";
import type { Db } from "./client.ts";

/** Any constant: the advisory lock id that serializes admin-affecting changes on PostgreSQL. */
const ADMIN_LOCK_ID = 0x636f6e69;

class LastAdmin extends Error {}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

async function applyChange(tx: Tx, change: AdminAffectingChange): Promise<void> {
  const { userId } = change;
  switch (change.kind) {
    case "setBinding":
      await tx.roleBinding.upsert({
        where: { userId_pathPrefix: { userId, pathPrefix: change.pathPrefix } },
        create: { userId, pathPrefix: change.pathPrefix, role: change.role },
        update: { role: change.role },
      });
      return;
    case "removeBinding":
      await tx.roleBinding.deleteMany({ where: { userId, pathPrefix: change.pathPrefix } });
      return;
    case "setDisabled":
      await tx.user.updateMany({ where: { id: userId }, data: { disabled: change.disabled } });
      return;
    case "deleteUser":
      await tx.roleBinding.deleteMany({ where: { userId } });
      await tx.loginSession.deleteMany({ where: { userId } });
      await tx.user.deleteMany({ where: { id: userId } });
      return;
  }
}

async function enabledRootAdmins(tx: Tx): Promise<number> {
  const ids = (
    await tx.roleBinding.findMany({ where: { pathPrefix: "/", role: "admin" }, select: { userId: true } })
  ).map((b) => b.userId);
  return ids.length ? tx.user.count({ where: { id: { in: ids }, disabled: false } }) : 0;
}

/**
 * Applies `change` unless it would leave no enabled user with admin on "/" ("last-admin").
 */
export async function changeKeepingAdmin(
  db: Db,
  provider: "sqlite" | "postgresql",
  change: AdminAffectingChange,
): Promise<"done" | "last-admin"> {
  try {
    await db.$transaction(async (tx) => {
      // PostgreSQL: two admins demoting each other at once would each still count the
      // other; the lock makes the second wait and count after the first committed.
      // SQLite (WAL): a write first takes the database's write lock before anything is
      // read, so the count below cannot come from a snapshot another process has moved past.
      if (provider === "postgresql")
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${String(ADMIN_LOCK_ID)})`);
      else
        await tx.$executeRawUnsafe(`UPDATE "User" SET "disabled" = "disabled" WHERE "id" = ${String(change.userId)}`);
      await applyChange(tx, change);
      if ((await enabledRootAdmins(tx)) === 0) throw new LastAdmin();
    });
    return "done";
  } catch (err) {
    if (err instanceof LastAdmin) return "last-admin";
    throw err;
  }
}
