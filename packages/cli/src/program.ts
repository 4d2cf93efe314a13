/**
 * The command table (commander) and `run`, which parses argv, runs one command and answers its
 * exit code instead of exiting, so tests can call it. Usage errors are exit 2; every other
 * failure is a CliError (errors.ts) printed as one `conifer: <message>` line.
 */
import { Command, CommanderError } from "commander";
import { makeContext, type Context, type GlobalOptions, type Io } from "./context.ts";
import { edit } from "./edit.ts";
import type { CliEnv } from "./env.ts";
import { CliError, EXIT, type ExitCode } from "./errors.ts";
import { diff, history, rollback } from "./history.ts";
import { create, get, ls, put, rm } from "./keys.ts";
import { login } from "./login.ts";
import { watch } from "./watch.ts";

type Action = (ctx: Context, ...args: string[]) => Promise<void>;

/** A required positional argument (commander has already refused a command line without it). */
function req(args: string[], i: number): string {
  const v = args[i];
  if (v === undefined) throw new CliError("missing argument", EXIT.usage);
  return v;
}

function build(env: CliEnv, io: Io, signal: AbortSignal | undefined): Command {
  const program = new Command("conifer")
    .description("Conifer's command line: read, write, diff, roll back and watch keys over the REST API v1")
    .option("--url <url>", "the server (env CONIFER_URL; default http://127.0.0.1:3000)")
    .option("--token <token>", "an API token (env CONIFER_TOKEN; else the stored login)")
    .option("--json", "machine-readable output")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // one `conifer: <message>` line, like every other failure
      outputError: (s, write) => write(`conifer: ${s.replace(/^error: /, "")}`),
    })
    .showHelpAfterError(false);

  /** one subcommand; its action gets the context and its positional arguments (options last) */
  const command = (
    spec: string,
    summary: string,
    action: (ctx: Context, cmd: Command, args: string[]) => Promise<void>,
  ) => {
    const cmd = program.command(spec).description(summary).exitOverride();
    cmd.action(async (...raw: unknown[]) => {
      const self = raw[raw.length - 1] as Command;
      const args = raw.slice(0, -2).map((a) => a as string);
      const ctx = await makeContext(self.optsWithGlobals<GlobalOptions>(), env, io);
      await action(ctx, self, args);
    });
    return cmd;
  };
  const simple = (spec: string, summary: string, fn: Action) =>
    command(spec, summary, (ctx, _cmd, args) => fn(ctx, ...args));

  command("login", "verify an API token (or sign in as a person) and store it for later commands", (ctx, cmd) =>
    login(ctx, cmd.optsWithGlobals()),
  )
    .option("--user <name>", "sign in as a person (needed for rollback: tokens never publish)")
    .option("--password-stdin", "read the password from stdin");
  simple("ls <path>", "list the children of a path", ls);
  simple("get <path>", "print a key's content (--json: content, version, format)", get);
  command("put <path> [file]", "write a key from a file or stdin", (ctx, cmd, args) =>
    put(ctx, req(args, 0), args[1], cmd.opts()),
  )
    .option("-m, --message <message>", "why, kept in the history")
    .option("--expect-version <version>", "write only if the key is still at this version");
  command("create <path> [file]", "create a key from a file or stdin", (ctx, cmd, args) =>
    create(ctx, req(args, 0), args[1], cmd.opts()),
  ).option("-m, --message <message>", "why, kept in the history");
  command("rm <path>", "delete a key", (ctx, cmd, args) => rm(ctx, req(args, 0), cmd.opts()))
    .option("--expect-version <version>", "delete only if the key is still at this version")
    .option("-r, --recursive", "with everything below it")
    .option("-m, --message <message>", "why, kept in the history");
  simple("history <path>", "the versions of a key, newest first", history);
  command("diff <path> <v1> [v2]", "unified diff of two versions (or of v1 and what is live)", (ctx, _cmd, args) =>
    diff(ctx, req(args, 0), req(args, 1), args[2]),
  );
  command("rollback <path> <version>", "publish an old version's content as a new version", (ctx, cmd, args) =>
    rollback(ctx, req(args, 0), req(args, 1), cmd.opts<{ message: string }>().message),
  ).requiredOption("-m, --message <message>", "why, kept in the history");
  command("watch <path>", "print each new version of a key as it is published", (ctx, _cmd, args) =>
    watch(ctx, req(args, 0), signal),
  );
  command("edit <path>", "edit a key in $EDITOR, review the diff, publish", (ctx, cmd, args) =>
    edit(ctx, req(args, 0), cmd.opts()),
  )
    .option("-y, --yes", "publish without asking")
    .option("-m, --message <message>", "why, kept in the history");
  return program;
}

export interface RunOptions {
  env: CliEnv;
  io: Io;
  /** ends a long-running command (watch) */
  signal?: AbortSignal;
}

/** Runs `conifer <args>` (args without node and the script); answers the exit code. */
export async function run(args: string[], { env, io, signal }: RunOptions): Promise<ExitCode> {
  const program = build(env, io, signal);
  try {
    await program.parseAsync(args, { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (or the help asked for)
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    if (err instanceof CliError) {
      io.stderr.write(`conifer: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`conifer: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}
