/** Who the request context says is acting, from the interim headers. */
import { describe, expect, it } from "vitest";
import { actorFromHeaders } from "./context.ts";

describe("actorFromHeaders", () => {
  it("defaults to anonymous via the api", () => {
    expect(actorFromHeaders({})).toEqual({ author: "anonymous", source: "api" });
  });
  it("reads author (percent-decoded), source and ip", () => {
    const h = new Headers({ "x-conifer-author": "J%C3%BCrgen", "x-conifer-source": "Console" });
    expect(actorFromHeaders(h, "10.0.0.1")).toEqual({ author: "Jürgen", source: "console", ip: "10.0.0.1" });
  });
  it("ignores an unknown source", () => {
    expect(actorFromHeaders({ "x-conifer-source": "external" }).source).toBe("api");
  });
  it("strips control characters from the author", () => {
    expect(actorFromHeaders({ "x-conifer-author": "ev%00il%0Aname" }).author).toBe("evilname");
    expect(actorFromHeaders({ "x-conifer-author": "%00" }).author).toBe("anonymous");
  });
});
