// Generates the two Prisma clients of the history store (SQLite and PostgreSQL flavours of the
// same models) into packages/history/src/generated/<provider>. Called by scripts/prepare.mjs.
// Idempotent and quick: a client is regenerated only when its schema or the Prisma version
// changed since the last run (a stamp file beside the generated code records both).
// Never downloads anything: Prisma 6.19 generates the `engineType = "client"` clients without
// native engines, and the two engine variables below only satisfy the CLI's download check.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = resolve(packageDir, "../..");
const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
const prismaVersion = JSON.parse(readFileSync(require.resolve("prisma/package.json"), "utf8")).version;

const env = {
  ...process.env,
  // Any existing file will do: with driver adapters neither engine is ever loaded.
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? process.execPath,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_GENERATE_SKIP_AUTOINSTALL: "1",
};

let failed = false;
for (const provider of ["sqlite", "postgresql"]) {
  const configFile = join(repoDir, "prisma", provider, "prisma.config.ts");
  const schemaFile = join(repoDir, "prisma", provider, "schema.prisma");
  const outDir = join(packageDir, "src", "generated", provider);
  const stampFile = join(outDir, ".conifer-stamp");
  const stamp = createHash("sha256").update(prismaVersion).update("\0").update(readFileSync(schemaFile)).digest("hex");

  if (existsSync(join(outDir, "client.ts")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp)
    continue;

  const r = spawnSync(process.execPath, [prismaCli, "generate", "--config", configFile], {
    cwd: repoDir,
    env,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    failed = true;
    process.stderr.write(
      `prisma generate (${provider}) failed with ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}\n`,
    );
    continue;
  }
  writeFileSync(stampFile, stamp);
  console.log(`Generated the ${provider} history client (Prisma ${prismaVersion}).`);
}
if (failed) process.exit(1);
