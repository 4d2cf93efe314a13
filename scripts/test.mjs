// `npm test`: installs what the tests need (Debian packages, generated clients, console build),
// checks format, lint and types, then runs every suite with the one test runner.
import { ensureDebianPackages, run } from "./lib.mjs";

ensureDebianPackages({
  // real browser for the console's end-to-end tests
  chromium: "/usr/bin/chromium",
  // real Apache ZooKeeper for the ensemble / contract tests
  zookeeper: "/usr/share/zookeeper/bin/zkServer.sh",
  // PostgreSQL server binaries for the history store tests
  "postgresql-15": "/usr/lib/postgresql/15/bin/initdb",
});
run("node", ["scripts/prepare.mjs"]);
// format and lint first: they fail in seconds to minutes, the suites take ten
run("npx", ["prettier", "--check", "."]);
// typed linting builds one TypeScript program per package tsconfig: past V8's default 4 GiB heap
// once the repo has fourteen of them (the run died of "heap out of memory" on a clean clone)
const lintEnv = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=8192`.trim() };
run("npx", ["eslint", ".", "--cache", "--cache-location", "node_modules/.cache/eslint/"], { env: lintEnv });
// the browser tests serve the built console; rebuilt only when its sources changed
run("node", ["apps/console/scripts/ensure-build.mjs"]);
run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
run("npx", ["vitest", "run", ...process.argv.slice(2)]);
