/** Unit tests of database URL parsing. */
import { describe, expect, it } from "vitest";
import { parseDatabaseUrl, redact } from "./url.ts";

describe("parseDatabaseUrl", () => {
  it("reads file: URLs as SQLite files, resolving relative paths", () => {
    expect(parseDatabaseUrl("file:/var/lib/conifer/history.db")).toEqual({
      provider: "sqlite",
      file: "/var/lib/conifer/history.db",
    });
    expect(parseDatabaseUrl("file:///var/lib/x.db")).toEqual({ provider: "sqlite", file: "/var/lib/x.db" });
    expect(parseDatabaseUrl("file:/d/h.db?connection_limit=1")).toEqual({ provider: "sqlite", file: "/d/h.db" });
    expect(parseDatabaseUrl("file:./rel.db")).toEqual({ provider: "sqlite", file: `${process.cwd()}/rel.db` });
  });

  it("reads postgres:// and postgresql:// as PostgreSQL", () => {
    expect(parseDatabaseUrl("postgres://u:p@h:5432/db")).toEqual({
      provider: "postgresql",
      url: "postgres://u:p@h:5432/db",
    });
    expect(parseDatabaseUrl("postgresql://h/db").provider).toBe("postgresql");
    expect(parseDatabaseUrl("postgresql://u@h:5/db?schema=tenant_1&sslmode=disable")).toEqual({
      provider: "postgresql",
      url: "postgresql://u@h:5/db?sslmode=disable",
      schema: "tenant_1",
    });
    expect(() => parseDatabaseUrl('postgresql://h/db?schema=x"y')).toThrow(
      expect.objectContaining({ code: "INVALID_URL" }),
    );
  });

  it("rejects anything else with INVALID_URL, without echoing passwords", () => {
    for (const url of ["", "mysql://h/db", "file:", "file::memory:", "/plain/path.db"]) {
      expect(() => parseDatabaseUrl(url)).toThrow(expect.objectContaining({ code: "INVALID_URL" }));
    }
    expect(() => parseDatabaseUrl("mysql://user:secret@h/db")).toThrow(/user:\*\*\*@/);
    expect(redact("postgres://u:pw@h/db")).toBe("postgres://u:***@h/db");
  });
});
