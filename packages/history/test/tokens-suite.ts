/** API token expiry and installation settings in the accounts store, on every provider. */
import { expect, it } from "vitest";
import type { OpenStore } from "./suite-helpers.ts";

export function tokenTests(openStore: OpenStore): void {
  it("keeps a token's expiry and leaves expired tokens out of the active ones", async () => {
    const { accounts } = await openStore();
    const base = { prefixes: ["/"], access: "read" as const, createdBy: "admin" };
    const never = await accounts.createToken({ ...base, name: "never", tokenHash: "h1" });
    const later = await accounts.createToken({
      ...base,
      name: "later",
      tokenHash: "h2",
      expiresAt: Date.now() + 3_600_000,
    });
    const past = await accounts.createToken({ ...base, name: "past", tokenHash: "h3", expiresAt: Date.now() - 1000 });
    expect(never.expiresAt).toBeNull();
    expect(later.expiresAt).toBeGreaterThan(Date.now());
    expect((await accounts.tokenByHash("h3"))?.expiresAt).toBe(past.expiresAt);
    expect((await accounts.activeTokenIds([never.id, later.id, past.id])).sort()).toEqual([never.id, later.id].sort());
  });

  it("stores installation settings, last write wins", async () => {
    const { accounts } = await openStore();
    expect(await accounts.setting("tokens.defaultLifetimeDays")).toBeNull();
    await accounts.setSetting("tokens.defaultLifetimeDays", "30", "alice");
    await accounts.setSetting("tokens.defaultLifetimeDays", "7", "bob");
    expect(await accounts.setting("tokens.defaultLifetimeDays")).toBe("7");
  });
}
