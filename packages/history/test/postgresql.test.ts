/**
 * The store contract on a real PostgreSQL server started for this file (initdb into a temp dir,
 * a free loopback port), one fresh database per test.
 */
import { startPostgres, type PostgresFixture } from "../src/testing/index.ts";
import { defineStoreSuite } from "./store-suite.ts";

let pg: PostgresFixture | null = null;
defineStoreSuite("PostgreSQL", {
  async setup() {
    pg = await startPostgres();
  },
  async freshUrl() {
    if (!pg) throw new Error("PostgreSQL fixture not started");
    return pg.createDatabase();
  },
  async teardown() {
    await pg?.stop();
  },
});
