// Prisma CLI config for the SQLite history store. Prisma 6.19 with the JS (WASM) schema engine
// and a driver adapter, because the native engines cannot be downloaded here. The store passes
// the database URL in CONIFER_HISTORY_DATABASE_URL when it runs `prisma migrate deploy`.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "./schema.prisma",
  migrations: { path: "./migrations" },
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env["CONIFER_HISTORY_DATABASE_URL"] ?? "file::memory:" });
  },
});
