/**
 * The environment the CLI reads, in one place: where the server is, the token, the editor and the
 * user's config dir. Passed around as a value so tests can give their own.
 */
import { homedir } from "node:os";
import { join } from "node:path";

export interface CliEnv {
  url?: string;
  token?: string;
  editor: string;
  configDir: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const base = env["XDG_CONFIG_HOME"] || join(env["HOME"] || homedir(), ".config");
  return {
    ...(env["CONIFER_URL"] ? { url: env["CONIFER_URL"] } : {}),
    ...(env["CONIFER_TOKEN"] ? { token: env["CONIFER_TOKEN"] } : {}),
    editor: env["VISUAL"] || env["EDITOR"] || "vi",
    configDir: join(base, "conifer"),
  };
}
