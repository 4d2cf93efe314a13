// Prisma CLI config for the PostgreSQL history store. Prisma 6.19 with the JS (WASM) schema
// engine and a driver adapter, because the native engines cannot be downloaded here. The store
// passes the database URL in CONIFER_HISTORY_DATABASE_URL when it runs `prisma migrate deploy`.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "./schema.prisma",
  migrations: { path: "./migrations" },
  async adapter() {
    // `migrate diff --from-empty` builds the adapter but never connects, hence the placeholder.
    const connectionString = process.env["CONIFER_HISTORY_DATABASE_URL"] ?? "postgresql://localhost:1/unset";
    return new PrismaPg({ connectionString });
  },
});
