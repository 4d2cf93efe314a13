/**
 * @conifer/history/testing — fixtures for tests in this and other packages (not for production
 * code): a throwaway PostgreSQL server.
 */
export { findPostgresBinDir, startPostgres } from "./postgres.ts";
export type { PostgresFixture, StartPostgresOptions } from "./postgres.ts";
