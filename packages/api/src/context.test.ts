/** The request context: who is the author of a write, and through which door it came. */
import { describe, expect, it } from "vitest";
import { actorOf, sourceFromHeaders } from "./context.ts";

describe("context", () => {
  it("the author is the principal, never a header", () => {
    expect(actorOf(null, { "x-conifer-author": "mallory" }).author).toBe("anonymous");
    expect(actorOf({ kind: "token", tokenId: 1, name: "ci", prefixes: ["/"], access: "read" }, {}).author).toBe(
      "token:ci",
    );
    expect(sourceFromHeaders({ "x-conifer-source": "Console" })).toBe("console");
    expect(sourceFromHeaders({ "x-conifer-source": "external" })).toBe("api");
  });
});
