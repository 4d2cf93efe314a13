// `npm start`: serve Conifer on http://localhost:3000 (embedded engine + SQLite under ./data)
// from a fresh clone. Prepares generated clients, builds the console when it is missing or
// older than its sources, then runs the server (apps/server/src/main.ts) with tsx.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { run } from "./lib.mjs";

run("node", ["scripts/prepare.mjs"]);

const consoleDir = "apps/console";
const SKIP = new Set(["node_modules", ".next", ".turbo", "test", "tests", "e2e", "next-env.d.ts"]);
// written by tools, not sources: they must not force a rebuild
const isGenerated = (name) => name.endsWith(".tsbuildinfo") || name.endsWith(".test.ts") || name.endsWith(".test.tsx");

/** Newest modification time (ms) of the files under the given roots. */
function newestMtime(roots) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (!SKIP.has(name) && !isGenerated(name)) walk(join(p, name));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const r of roots) walk(r);
  return newest;
}

// an API-only server (CONIFER_SERVE_CONSOLE=false) needs no console build
const servesConsole = !["false", "0"].includes(process.env.CONIFER_SERVE_CONSOLE ?? "");
if (servesConsole && existsSync(join(consoleDir, "package.json"))) {
  const buildId = join(consoleDir, ".next", "BUILD_ID");
  // the console bundles these packages at build time, so their sources count too
  const sources = [consoleDir, "packages/formats/src", "packages/protocol/src"];
  const stale = !existsSync(buildId) || newestMtime(sources) > statSync(buildId).mtimeMs;
  if (stale) {
    console.log(
      existsSync(buildId) ? "Console sources changed; rebuilding the console…" : "Building the console (first start)…",
    );
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
    const build = spawn("npm", ["run", "build", "-w", "@conifer/console"], { stdio: "inherit", env });
    const code = await new Promise((resolve) => build.on("exit", (c) => resolve(c ?? 1)));
    if (code !== 0)
      console.error(
        "\n⚠ The console build failed; starting the server anyway (API, SDK gateway and REST work; / shows a notice).\n",
      );
  }
}

// the server runs in a node process of its own (tsx as a loader, not its CLI wrapper), so a
// signal sent to it goes straight to the server's graceful shutdown
const server = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.kill("SIGTERM");
};
// Ctrl+C reaches the whole process group: let the server shut down gracefully and exit with it.
process.on("SIGINT", () => {});
process.on("SIGTERM", stop);
// `npm start` runs this script under `sh -c`, and a SIGTERM sent to npm (a supervisor stopping
// the service) ends that shell without reaching us: the server would keep running, orphaned.
// Being re-parented is the sign; stop the server then.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500).unref();
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
