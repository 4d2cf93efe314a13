/** The permission matrix: roles per prefix for users, scope and access for tokens. */
import { describe, expect, it } from "vitest";
import { authorize, can, canBrowse, type Principal } from "./authz.ts";

const user = (grants: Extract<Principal, { kind: "user" }>["grants"]): Principal => ({
  kind: "user",
  userId: 1,
  name: "u",
  grants,
  sessionHash: "h",
  mustChangePassword: false,
});

describe("authz", () => {
  it("roles include the ones below them, per prefix, segment-wise", () => {
    const p = user([
      { pathPrefix: "/a", role: "editor" },
      { pathPrefix: "/b", role: "viewer" },
    ]);
    expect(can(p, "read", "/a/x")).toBe(true);
    expect(can(p, "write", "/a/x")).toBe(true);
    expect(can(p, "publish", "/a/x")).toBe(false);
    expect(can(p, "write", "/b/x")).toBe(false);
    expect(can(p, "read", "/ab")).toBe(false);
    expect(can(p, "admin")).toBe(false);
    expect(canBrowse(p, "/")).toBe(true);
    expect(canBrowse(p, "/c")).toBe(false);
  });
  it("system subtrees are an admin's only: a role on / or a token scoped to / does not open them", () => {
    const publisher = user([{ pathPrefix: "/", role: "publisher" }]);
    const token: Principal = { kind: "token", tokenId: 1, name: "t", prefixes: ["/"], access: "read-write" };
    for (const p of [publisher, token]) {
      expect(can(p, "read", "/zookeeper")).toBe(false);
      expect(can(p, "read", "/conifer/instances/x")).toBe(false);
      expect(canBrowse(p, "/conifer")).toBe(false);
      expect(can(p, "read", "/zookeeperish")).toBe(true);
    }
    expect(() => authorize(publisher, "read", "/zookeeper")).toThrow(/system node.*only an admin/);
    expect(can(user([{ pathPrefix: "/", role: "admin" }]), "read", "/zookeeper/config")).toBe(true);
  });
  it("admin is global and only from a binding on /", () => {
    expect(can(user([{ pathPrefix: "/a", role: "admin" }]), "admin")).toBe(false);
    expect(can(user([{ pathPrefix: "/", role: "admin" }]), "admin")).toBe(true);
  });
  it("releases: editors propose, publishers approve and publish, admins set policies", () => {
    const editor = user([{ pathPrefix: "/a", role: "editor" }]);
    const publisher = user([{ pathPrefix: "/a", role: "publisher" }]);
    const viewer = user([{ pathPrefix: "/a", role: "viewer" }]);
    expect(can(viewer, "propose", "/a/x")).toBe(false);
    expect(can(editor, "propose", "/a/x")).toBe(true);
    expect(can(editor, "approve", "/a/x")).toBe(false);
    expect(can(publisher, "approve", "/a/x")).toBe(true);
    expect(can(publisher, "approve", "/b/x")).toBe(false);
    expect(can(publisher, "policy", "/a")).toBe(false);
    expect(can(user([{ pathPrefix: "/", role: "admin" }]), "policy", "/a")).toBe(true);
  });
  it("tokens: scope and access, never publish or admin", () => {
    const t: Principal = { kind: "token", tokenId: 1, name: "t", prefixes: ["/a"], access: "read-write" };
    expect(can(t, "write", "/a/b")).toBe(true);
    expect(can(t, "read", "/b")).toBe(false);
    expect(can(t, "publish", "/a")).toBe(false);
    expect(can(t, "propose", "/a/b")).toBe(true);
    expect(can({ ...t, access: "read" }, "propose", "/a/b")).toBe(false);
    for (const action of ["approve", "policy"] as const) expect(can(t, action, "/a")).toBe(false);
    expect(() => authorize(null, "read", "/a")).toThrow(/Sign in/);
    expect(() => authorize({ ...t, access: "read" }, "write", "/a")).toThrow(/may not write/);
  });
});
