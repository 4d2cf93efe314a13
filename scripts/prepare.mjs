// Build steps every entry point needs before it runs: the Prisma clients. Idempotent and quick.
import { existsSync } from "node:fs";
import { run } from "./lib.mjs";

if (existsSync("packages/history/scripts/generate.mjs")) run("node", ["packages/history/scripts/generate.mjs"]);
