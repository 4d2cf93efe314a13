/**
 * The SQLite and PostgreSQL schemas must describe the same models (a Prisma provider is fixed per
 * schema file, so there are two), and both providers must have the same migrations.
 */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readMigrations } from "./migrate.ts";

const prismaDir = fileURLToPath(new URL("../../../prisma/", import.meta.url));
const schema = (provider: string) => readFileSync(`${prismaDir}${provider}/schema.prisma`, "utf8");

function models(text: string): string {
  const m = /\/\/ MODELS-BEGIN\n([\s\S]*)\/\/ MODELS-END/.exec(text);
  if (!m?.[1]) throw new Error("schema lacks the MODELS-BEGIN / MODELS-END markers");
  return m[1];
}

/** Everything outside the models, with the provider-specific words neutralised. */
function frame(text: string, provider: string): string {
  return text
    .replace(models(text), "")
    .split("\n")
    .filter((line) => !line.startsWith("//"))
    .join("\n")
    .replaceAll(`generated/${provider}`, "generated/<provider>")
    .replace(`provider = "${provider}"`, 'provider = "<provider>"');
}

describe("prisma schemas", () => {
  it("declare identical models for SQLite and PostgreSQL", () => {
    const sqlite = schema("sqlite");
    const postgresql = schema("postgresql");
    expect(models(sqlite)).toContain("model HistoryEntry");
    expect(models(postgresql)).toBe(models(sqlite));
    // No model may hide outside the markers.
    expect(sqlite.replace(models(sqlite), "")).not.toMatch(/^\s*(model|enum|view)\s/m);
    expect(postgresql.replace(models(postgresql), "")).not.toMatch(/^\s*(model|enum|view)\s/m);
  });

  it("differ only in provider and output folder outside the models", () => {
    expect(frame(schema("postgresql"), "postgresql")).toBe(frame(schema("sqlite"), "sqlite"));
  });

  it("have the same migrations for both providers, each tagged with its provider", () => {
    const names = (provider: "sqlite" | "postgresql") =>
      readMigrations(`${prismaDir}${provider}/migrations`, provider).map((m) => m.name);
    expect(names("sqlite")).toEqual(names("postgresql"));
    expect(names("sqlite")[0]).toBe("0001_init");
    for (const provider of ["sqlite", "postgresql"]) {
      expect(readdirSync(`${prismaDir}${provider}/migrations`)).toContain("migration_lock.toml");
    }
  });
});
