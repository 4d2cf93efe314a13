/** The `conifer` process: runs one command and exits with its code (see errors.ts). */
import { readEnv } from "./env.ts";
import { run } from "./program.ts";

const controller = new AbortController();
// Ctrl-C ends a watch cleanly (exit 0) instead of killing it mid-write
process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());

const code = await run(process.argv.slice(2), {
  env: readEnv(),
  io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  signal: controller.signal,
});
process.exitCode = code;
// stdin may hold the loop open (a watch never read it): the command is done, so is the process
process.exit(code);
