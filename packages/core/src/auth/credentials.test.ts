/** Request credentials: cookies, bearer tokens, the CSRF double-submit and Origin checks. */
import { describe, expect, it } from "vitest";
import { bearer, clearedCookies, parseCookies, sameOriginOf, sessionCookies } from "./credentials.ts";

describe("credentials", () => {
  it("parses cookies and bearer tokens", () => {
    expect(parseCookies("a=1; conifer_session=xyz; b=")).toEqual({ a: "1", conifer_session: "xyz", b: "" });
    expect(parseCookies("conifer_session=first; conifer_session=second")).toEqual({ conifer_session: "first" });
    expect(parseCookies(undefined)).toEqual({});
    expect(bearer({ authorization: "Bearer cnf_abc" })).toBe("cnf_abc");
    expect(bearer({ authorization: "Basic abc" })).toBeUndefined();
  });
  it("accepts a missing or same Origin only", () => {
    expect(sameOriginOf({ host: "h:1" })).toBe(true);
    expect(sameOriginOf({ host: "h:1", origin: "http://h:1" })).toBe(true);
    expect(sameOriginOf({ host: "h:1", origin: "http://evil:1" })).toBe(false);
    expect(sameOriginOf({ host: "h:1", origin: "null" })).toBe(false);
  });
  it("session cookie is httpOnly and SameSite=Strict, Secure over https", () => {
    const [s, c] = sessionCookies("S", "C", 60, true);
    expect(s).toMatch(/HttpOnly/);
    expect(s).toMatch(/SameSite=Strict/);
    expect(s).toMatch(/Secure/);
    expect(c).not.toMatch(/HttpOnly/);
    expect(s).toMatch(/^conifer_session=S;.*Max-Age=60/);
    expect(c).toMatch(/^conifer_csrf=C;.*Path=\//);
    expect(sessionCookies("S", "C", 60, false)[0]).not.toMatch(/Secure/);
  });
  it("logging out clears both cookies (empty, Max-Age=0) with the same attributes", () => {
    const [s, c] = clearedCookies(true);
    expect(s).toMatch(/^conifer_session=;.*Max-Age=0.*HttpOnly.*Secure.*SameSite=Strict/);
    expect(c).toMatch(/^conifer_csrf=;.*Max-Age=0/);
    expect(c).not.toMatch(/HttpOnly/);
  });
});
