/**
 * The /api/v1 route table: each route names the tRPC procedure it runs, so its input is checked
 * by that procedure's own zod schema (and the OpenAPI document is generated from the same
 * schema, openapi.ts). Where each input field comes from: the query string (GETs, and the key
 * path of PUT/DELETE), the JSON body, or a header (If-Match → expectedVersion).
 */
import { appRouter } from "@conifer/api";
import type { z } from "zod";

export type Method = "GET" | "PUT" | "POST" | "DELETE";

export interface RestRoute {
  method: Method;
  /** the URL path under which it answers */
  path: string;
  /** "<router>.<procedure>" of appRouter */
  procedure: string;
  summary: string;
  /** input fields read from the query string; the others come from the JSON body */
  query: "all" | string[];
  /** the If-Match header fills this field (a version number, quotes allowed) */
  ifMatch?: string;
  /** 201 for creations */
  status?: number;
  /** GET a key: the answer is reshaped and carries an ETag */
  etag?: boolean;
}

export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: "GET",
    path: "/api/v1/keys",
    procedure: "config.get",
    summary: "Read a key: content, version, format (ETag = version; If-None-Match gives 304)",
    query: "all",
    etag: true,
  },
  {
    method: "PUT",
    path: "/api/v1/keys",
    procedure: "config.update",
    summary: "Write a key; If-Match: <version> (412 with the current version when stale)",
    query: ["path", "message"],
    ifMatch: "expectedVersion",
  },
  { method: "POST", path: "/api/v1/keys", procedure: "config.create", summary: "Create a key", query: [], status: 201 },
  {
    method: "DELETE",
    path: "/api/v1/keys",
    procedure: "config.delete",
    summary: "Delete a key; If-Match: <version> (-1: any)",
    query: ["path", "recursive", "message"],
    ifMatch: "expectedVersion",
  },
  {
    method: "GET",
    path: "/api/v1/children",
    procedure: "tree.children",
    summary: "List the children of a path",
    query: "all",
  },
  {
    method: "GET",
    path: "/api/v1/search",
    procedure: "tree.search",
    summary: "Search paths or contents",
    query: "all",
  },
  {
    method: "GET",
    path: "/api/v1/history",
    procedure: "history.list",
    summary: "Versions of a path, newest first",
    query: "all",
  },
  {
    method: "GET",
    path: "/api/v1/diff",
    procedure: "history.diff",
    summary: "Diff two history entries, or one and the live content (toId=live)",
    query: "all",
  },
  {
    method: "POST",
    path: "/api/v1/rollback",
    procedure: "history.rollback",
    summary: "Roll a path back to a history entry",
    query: [],
  },
  {
    method: "GET",
    path: "/api/v1/releases",
    procedure: "releases.list",
    summary: "Releases, newest first",
    query: "all",
  },
  { method: "GET", path: "/api/v1/audit", procedure: "audit.list", summary: "The audit log (admin)", query: "all" },
] as const;

type ProcedureDef = { _def: { inputs: unknown[]; type: "query" | "mutation" } };

/** The zod input schema of a procedure (the same object tRPC validates with). */
export function inputSchema(procedure: string): z.ZodType {
  const proc = (appRouter._def.procedures as unknown as Record<string, ProcedureDef | undefined>)[procedure];
  const schema = proc?._def.inputs[0];
  if (!schema) throw new Error(`no input schema for ${procedure}`);
  return schema as z.ZodType;
}

export function findRoute(method: string, path: string): RestRoute | "wrong-method" | undefined {
  const onPath = REST_ROUTES.filter((r) => r.path === path);
  if (onPath.length === 0) return undefined;
  const m = method === "HEAD" ? "GET" : method;
  return onPath.find((r) => r.method === m) ?? "wrong-method";
}
