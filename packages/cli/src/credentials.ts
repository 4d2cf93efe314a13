/**
 * The stored login: {url, token} (or {url, session} for a person signed in) in <config dir>/credentials.json. The file holds a secret, so it
 * is written 0600 (and its dir 0700) from the first byte, never made readable and then narrowed.
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CliError } from "./errors.ts";

/** A signed-in person's console session: what rollback needs, since API tokens never publish. */
export interface Session {
  user: string;
  cookie: string;
  csrf: string;
}

export interface Credentials {
  url: string;
  token?: string;
  session?: Session;
}

export const credentialsFile = (configDir: string): string => join(configDir, "credentials.json");

export async function saveCredentials(configDir: string, creds: Credentials): Promise<string> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const file = credentialsFile(configDir);
  await writeFile(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file: an older file keeps its own otherwise
  await chmod(file, 0o600);
  return file;
}

export async function loadCredentials(configDir: string): Promise<Credentials | undefined> {
  let text: string;
  try {
    text = await readFile(credentialsFile(configDir), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    const session = parsed.session;
    const validSession =
      session &&
      typeof session.cookie === "string" &&
      typeof session.csrf === "string" &&
      typeof session.user === "string";
    if (typeof parsed.url === "string" && (typeof parsed.token === "string" || validSession))
      return {
        url: parsed.url,
        ...(typeof parsed.token === "string" ? { token: parsed.token } : {}),
        ...(validSession ? { session } : {}),
      };
  } catch {
    // reported below, with the file's name
  }
  throw new CliError(`${credentialsFile(configDir)} is not a valid credentials file; run conifer login again`);
}
