/**
 * `ensureChroot`: creates the chroot of a connect string (and its missing parents) before a
 * chrooted session uses it. ZooKeeper does not create a chroot by itself: on a fresh ensemble
 * every request of a session chrooted at a missing node fails with NO_NODE. The nodes are
 * created persistent; with credentials (in the URL or `auth`) they get the same ACL as the
 * server's own nodes (everything for that identity, read for anyone), else the open ACL.
 */
import { CoordinatorError, CREATOR_ALL_ACL, OPEN_ACL_UNSAFE, Perms, type ACL } from "@conifer/coordinator";
import { describeConnectString, parseConnectString } from "./connectString.ts";
import { ZooKeeperSession } from "./session.ts";

export async function ensureChroot(
  connectString: string,
  options: { sessionTimeoutMs?: number; auth?: { scheme: string; auth: string }[] } = {},
): Promise<void> {
  const parsed = parseConnectString(connectString);
  if (!parsed.chroot) return;
  const timeoutMs = options.sessionTimeoutMs ?? 30_000;
  const session = new ZooKeeperSession(
    { hosts: parsed.hosts, timeoutMs, connectDeadlineMs: Math.max(2 * timeoutMs, 10_000) },
    "",
  );
  const auth = [...parsed.auth, ...(options.auth ?? [])];
  const acl: ACL[] =
    auth.length > 0
      ? [...CREATOR_ALL_ACL, { perms: Perms.READ, id: { scheme: "world", id: "anyone" } }]
      : [...OPEN_ACL_UNSAFE];
  await session.start(auth);
  try {
    if (await session.exists(parsed.chroot)) return;
    const parts = parsed.chroot.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const path = `/${parts.slice(0, i).join("/")}`;
      try {
        await session.create(path, null, { acl });
      } catch (err) {
        if (CoordinatorError.is(err, "NODE_EXISTS")) continue;
        const where = describeConnectString({ ...parsed, chroot: "" });
        throw new CoordinatorError(
          CoordinatorError.is(err) ? err.code : "SYSTEM_ERROR",
          `cannot create the chroot ${parsed.chroot} on ${where} (${(err as Error).message}); create it first or use credentials allowed to`,
          path,
          { cause: err },
        );
      }
    }
  } finally {
    await session.close().catch(() => {});
  }
}
