// Builds the console (`next build`) when apps/console/.next is missing or older than any of its
// sources (or the workspace packages it bundles). Used by `npm start`, `npm test` and the
// browser tests' setup, so nobody serves a stale console. Several browser suites run in
// parallel: a lock makes one of them build while the others wait and then find the build fresh.
// Run: node apps/console/scripts/ensure-build.mjs
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const consoleDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoRoot = dirname(dirname(consoleDir));

/** Everything that ends up in the bundle. */
const SOURCES = [
  join(consoleDir, "app"),
  join(consoleDir, "components"),
  join(consoleDir, "lib"),
  join(consoleDir, "next.config.ts"),
  join(consoleDir, "package.json"),
  join(consoleDir, "tsconfig.json"),
  join(repoRoot, "packages", "coordinator", "src"),
  join(repoRoot, "packages", "formats", "src"),
  join(repoRoot, "packages", "protocol", "src"),
  join(repoRoot, "packages", "shared", "src"),
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function consoleBuildState() {
  const buildId = join(consoleDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return { fresh: false, reason: "no build yet" };
  const built = statSync(buildId).mtimeMs;
  const newest = Math.max(...SOURCES.map(newestMtime));
  return newest > built
    ? { fresh: false, reason: "sources changed since the last build" }
    : { fresh: true, reason: "up to date" };
}

// outside the work tree (nothing to ignore in git), one per checkout
const lockDir = join(
  tmpdir(),
  `conifer-console-build-${createHash("sha256").update(consoleDir).digest("hex").slice(0, 12)}.lock`,
);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/** Takes the build lock (a directory holding the owner's pid), waiting while a live process holds it. */
async function lock() {
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lockDir, "pid"), "utf8"));
    } catch {
      // the owner is between mkdir and writing its pid, or just released the lock
    }
    // a holder that died (killed test run) leaves the directory behind, maybe without its pid
    const dead =
      Number.isInteger(owner) && owner > 0
        ? !alive(owner)
        : Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 60_000;
    if (dead) rmSync(lockDir, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves when .next is fresh; rejects with the build's output tail if `next build` fails. */
export async function ensureConsoleBuilt({ quiet = false } = {}) {
  if (consoleBuildState().fresh) return { built: false };
  const unlock = await lock();
  try {
    return await buildIfStale(quiet);
  } finally {
    unlock();
  }
}

function buildIfStale(quiet) {
  // checked again under the lock: another process may have built meanwhile
  const state = consoleBuildState();
  if (state.fresh) return Promise.resolve({ built: false });
  if (!quiet) console.log(`[console] building the web console (${state.reason})…`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "node_modules", "next", "dist", "bin", "next"), "build"], {
      cwd: consoleDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let tail = "";
    const keep = (d) => {
      tail = (tail + d.toString()).slice(-6000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve({ built: true });
      else reject(new Error(`next build failed (exit ${code}):\n${tail}`));
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureConsoleBuilt().then(
    (r) => console.log(r.built ? "[console] built" : "[console] build is up to date"),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
