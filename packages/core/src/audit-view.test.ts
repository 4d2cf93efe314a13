import { describe, expect, it } from "vitest";
import { linkVersions, readAudit, type AuditVersionRef } from "./audit-view.ts";

describe("readAudit", () => {
  it("reads config actions' free-text details as sentences with the versions they name", () => {
    expect(readAudit({ action: "config.update", detail: "version 4" })).toEqual({
      summary: "Published version 4",
      versions: [{ role: "to", version: 4 }],
    });
    expect(readAudit({ action: "config.create", detail: "version 0" }).summary).toBe("Created version 0");
    expect(readAudit({ action: "config.delete" }).summary).toBe("Deleted");
    expect(readAudit({ action: "config.delete", detail: "recursive, 3 node(s)" }).summary).toBe(
      "Deleted with everything below it (3 nodes)",
    );
    expect(readAudit({ action: "history.rollback", detail: "to entry 17 (v2) → v5" })).toEqual({
      summary: "Rolled back to version 2, published as version 5",
      versions: [
        { role: "from", version: 2, entryId: "17" },
        { role: "to", version: 5 },
      ],
    });
    expect(readAudit({ action: "history.restore", detail: "from entry 9 (v3)" })).toEqual({
      summary: "Restored version 3 after its deletion",
      versions: [{ role: "from", version: 3, entryId: "9" }],
    });
  });

  it("names users and tokens, never their internal ids", () => {
    const token = readAudit({
      action: "token.create",
      detail: JSON.stringify({ id: 42, name: "ci", prefixes: ["/a", "/b"], access: "read" }),
    });
    expect(token.summary).toBe("Created API token ci (read on /a /b)");
    expect(token.summary).not.toContain("42");
    expect(readAudit({ action: "token.revoke", detail: '{"id":42,"name":"ci"}' }).summary).toBe("Revoked API token ci");
    expect(
      readAudit({
        action: "user.create",
        detail: JSON.stringify({ username: "bo", roles: [{ pathPrefix: "/pay", role: "editor" }] }),
      }).summary,
    ).toBe("Created user bo (editor on /pay)");
    expect(readAudit({ action: "role.set", detail: '{"username":"bo","role":"viewer"}' }).summary).toBe(
      "Gave bo the role viewer",
    );
    expect(readAudit({ action: "login.failed", detail: "bad credentials" }).summary).toBe(
      "Sign-in failed: bad credentials",
    );
  });

  it("falls back to the text, or the JSON's fields without id keys, for actions it does not know", () => {
    expect(readAudit({ action: "x.y", detail: "plain words" }).summary).toBe("plain words");
    expect(readAudit({ action: "x.y", detail: '{"id":3,"name":"n","n":2}' }).summary).toBe("name: n, n: 2");
    expect(readAudit({ action: "x.y" })).toEqual({ summary: "", versions: [] });
  });
});

describe("linkVersions", () => {
  it("links each named version to the history row of that path and version nearest in time", () => {
    const rows: { at: number; path: string; versions: AuditVersionRef[] }[] = [
      { at: 1000, path: "/a", versions: [{ role: "to", version: 0 }] },
      { at: 9000, path: "/a", versions: [{ role: "to", version: 0 }] },
      { at: 9000, path: "/b", versions: [{ role: "from", version: 1, entryId: "7" }] },
    ];
    linkVersions(rows, [
      { id: "1", path: "/a", version: 0, at: 990 },
      { id: "5", path: "/a", version: 0, at: 8990 },
      { id: "6", path: "/b", version: 1, at: 8990 },
    ]);
    expect(rows.map((r) => r.versions[0]?.entryId)).toEqual(["1", "5", "7"]);
  });
});
