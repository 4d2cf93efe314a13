import { describe, expect, it } from "vitest";
import { apiError, EXIT, exitCodeFor } from "./errors.ts";

describe("exit codes", () => {
  it("maps the server's answers to the documented exit codes", () => {
    expect(exitCodeFor(404, "NOT_FOUND")).toBe(EXIT.notFound);
    expect(exitCodeFor(412, "CONFLICT")).toBe(EXIT.conflict);
    expect(exitCodeFor(409, "ALREADY_EXISTS")).toBe(EXIT.conflict);
    expect(exitCodeFor(401, "UNAUTHENTICATED")).toBe(EXIT.auth);
    expect(exitCodeFor(403, "FORBIDDEN")).toBe(EXIT.auth);
    expect(exitCodeFor(400, "INVALID_CONTENT")).toBe(EXIT.error);
    expect(exitCodeFor(500)).toBe(EXIT.error);
  });

  it("says the code, the message and where invalid content broke, in one line", () => {
    const err = apiError(400, {
      error: { code: "INVALID_CONTENT", message: "bad json", details: { format: "json", line: 3, column: 2 } },
    });
    expect(err.message).toBe("INVALID_CONTENT: bad json (line 3, column 2)");
    expect(err.exitCode).toBe(EXIT.error);
    expect(
      apiError(412, { error: { code: "CONFLICT", message: "stale", details: { currentVersion: 4 } } }).message,
    ).toBe("CONFLICT: stale (current version 4)");
  });
});
