/**
 * `npm run admin -- <command>`: recovery tasks run on the server host, with direct access to the
 * history database (the same CONIFER_DATA_DIR / DATABASE_URL as the server). Today one command:
 * `reset-password <user>` prints a one-time password for a user who lost theirs, e.g. the last
 * admin. Holding the database is the authorization: such a person could edit the rows anyway.
 */
import { hostname } from "node:os";
import { AuthService, ConfigError, consoleLogger } from "@conifer/core";
import { openHistoryStore } from "@conifer/history";
import { normaliseDatabaseUrl, resolveConfig, type ServerConfig } from "./config.ts";

const USAGE = "usage: npm run admin -- reset-password <user>";

/** Runs one command; returns the exit code. `print` / `fail` receive stdout / stderr lines. */
export async function runAdminCommand(
  args: readonly string[],
  config: Partial<ServerConfig>,
  out: { print: (line: string) => void; fail: (line: string) => void },
): Promise<number> {
  const [command, username, ...rest] = args;
  if (command !== "reset-password" || !username || rest.length > 0) {
    out.fail(USAGE);
    return 2;
  }
  const { databaseUrl } = resolveConfig(config);
  const history = await openHistoryStore({ url: normaliseDatabaseUrl(databaseUrl) });
  try {
    const auth = new AuthService(history.accounts, (entry) => history.audit(entry), consoleLogger);
    const { password } = await auth.users.recoverPassword(username, hostname());
    out.print(`One-time password for "${username}": ${password}`);
    out.print("Sign in with it; you will be asked to choose a new one. Its other sessions were ended.");
    return 0;
  } catch (err) {
    if (err instanceof ConfigError && err.code === "NOT_FOUND") {
      out.fail(`No user "${username}" in ${history.provider === "sqlite" ? databaseUrl : "the PostgreSQL database"}`);
      return 1;
    }
    throw err;
  } finally {
    await history.close();
  }
}
