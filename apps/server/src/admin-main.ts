/** Entry of `npm run admin -- …` (see admin-command.ts): reads the server's environment, runs one command. */
import { configFromEnv, readEnv } from "./env.ts";
import { runAdminCommand } from "./admin-command.ts";

runAdminCommand(process.argv.slice(2), configFromEnv(readEnv()), {
  print: (line) => {
    console.log(line);
  },
  fail: (line) => {
    console.error(line);
  },
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`admin command failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
