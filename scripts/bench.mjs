// `npm run bench [-- <name>...] [-- --quick ...]`: the benchmark suite of bench/ (never part of
// `npm test`). Installs the peers it measures against when missing (Debian's zookeeper and
// PostgreSQL; the `ws` package is a root devDependency, installed by npm), then runs
// `npx tsx bench/<name>/run.ts` for each named benchmark, or all of them in order. Extra flags
// (--quick, --n 1000,5000, --rows 100000, ...) are passed to every benchmark.
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { ensureDebianPackages, run } from "./lib.mjs";

// the default run (bench/ may hold more, runnable by name)
const ORDER = ["engine", "fetch", "fanout", "connections", "history", "wire"];
const args = process.argv.slice(2);
const available = readdirSync("bench").filter((d) => existsSync(`bench/${d}/run.ts`));
// a bare word is a benchmark name unless it is the value of the flag before it (--n 1000)
const isName = (a, i) => !a.startsWith("-") && !(args[i - 1]?.startsWith("--") && args[i - 1] !== "--quick");
const names = args.filter((a, i) => isName(a, i) && available.includes(a));
const flags = args.filter((a, i) => !(isName(a, i) && available.includes(a)));
const unknown = args.filter((a, i) => isName(a, i) && !available.includes(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(1);
}

ensureDebianPackages({
  zookeeper: "/usr/share/zookeeper/bin/zkServer.sh",
  "postgresql-15": "/usr/lib/postgresql/15/bin/initdb",
});
try {
  createRequire(import.meta.url).resolve("ws");
} catch {
  run("npm", ["install", "--no-audit", "--no-fund"]);
}
// the history store's generated Prisma clients
run("node", ["scripts/prepare.mjs"]);

for (const name of names.length > 0 ? names : ORDER.filter((n) => available.includes(n))) {
  console.log(`\n=== bench/${name} ${flags.join(" ")}`);
  run("npx", ["tsx", `bench/${name}/run.ts`, ...flags]);
}
