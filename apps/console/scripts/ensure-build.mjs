// Builds the console (`next build`) when apps/console/.next is missing or older than any of its
// sources (or the workspace packages it bundles). Used by `npm start`, `npm test` and the
// browser tests' setup, so nobody serves a stale console. Run: node apps/console/scripts/ensure-build.mjs
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
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
  join(repoRoot, "packages", "formats", "src"),
  join(repoRoot, "packages", "protocol", "src"),
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
  return newest > built ? { fresh: false, reason: "sources changed since the last build" } : { fresh: true, reason: "up to date" };
}

/** Resolves when .next is fresh; rejects with the build's output tail if `next build` fails. */
export function ensureConsoleBuilt({ quiet = false } = {}) {
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
