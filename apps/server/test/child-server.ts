/**
 * A Conifer server as its own Node process, started like production (`apps/server/src/main.ts`
 * configured only through its environment), for suites that need a second server beside the one
 * in the test process, or one they can SIGKILL. Ready when it prints its "running at" line; the
 * process's stdout and stderr are kept in `output` for markers and for failure messages.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const READY = /Conifer is running at http:\/\/[^:]+:(\d+)/;

export interface ChildServer {
  /** set once the server printed its ready line */
  url: string;
  child: ChildProcess;
  output: string[];
}

/**
 * Starts the server with `env` over the defaults (any free port on loopback, no console) and
 * waits for its ready line; rejects with its output when it exits first. `track` receives the
 * child as soon as it is spawned, so a suite's cleanup reaches one that never became ready.
 */
export async function startChildServer(
  name: string,
  env: Record<string, string>,
  track?: (s: ChildServer) => void,
): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", CONIFER_SERVE_CONSOLE: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const s: ChildServer = { url: "", child, output: [] };
  track?.(s);
  s.url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      s.output.push(c.toString());
      const port = READY.exec(s.output.join(""))?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.stderr.on("data", (c: Buffer) => s.output.push(c.toString()));
    child.once("exit", (code) => {
      reject(new Error(`server ${name} exited with ${String(code)}:\n${s.output.join("")}`));
    });
  });
  return s;
}

/** Stops a child process with `signal` and waits for it to exit; nothing when it is gone already. */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await exited;
}
