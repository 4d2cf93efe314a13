/**
 * The OpenAPI 3.1 document of /api/v1, generated from the route table and each procedure's zod
 * input schema through zod 4's own JSON Schema generator (OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, so z.toJSONSchema's output is used as is). No hand-written parameter lists: a field
 * added to a procedure's input shows up here and is accepted by the REST route alike.
 */
import { z } from "zod";
import { inputSchema, REST_ROUTES, type RestRoute } from "./routes.ts";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  [k: string]: unknown;
};

/** The input's JSON Schema, without the $schema tag (the document declares the dialect once). */
export function inputJsonSchema(procedure: string): JsonSchema {
  const schema = z.toJSONSchema(inputSchema(procedure), { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete schema["$schema"];
  return schema;
}

/** Every property the input may carry (a union's variants merged), with whether it is always required. */
export function inputFields(procedure: string): Map<string, { schema: JsonSchema; required: boolean }> {
  const root = inputJsonSchema(procedure);
  const variants = root.anyOf?.filter((v) => v.properties) ?? [root];
  const fields = new Map<string, { schema: JsonSchema; required: boolean }>();
  for (const v of variants)
    for (const [name, schema] of Object.entries(v.properties ?? {})) {
      const required = variants.every((w) => w.required?.includes(name));
      fields.set(name, { schema, required });
    }
  return fields;
}

export function queryFields(route: RestRoute): string[] {
  const all = [...inputFields(route.procedure).keys()].filter((f) => f !== route.ifMatch);
  return route.query === "all" ? all : all.filter((f) => route.query.includes(f));
}

const ERROR = {
  description: "The one error shape: a stable code, a message, and the code's details",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

function operation(route: RestRoute): Record<string, unknown> {
  const fields = inputFields(route.procedure);
  const inQuery = queryFields(route);
  const parameters: unknown[] = inQuery.map((name) => ({
    name,
    in: "query",
    required: fields.get(name)?.required ?? false,
    schema: fields.get(name)?.schema,
  }));
  if (route.ifMatch) parameters.push({ name: "If-Match", in: "header", required: false, schema: { type: "string" } });
  if (route.etag) parameters.push({ name: "If-None-Match", in: "header", required: false, schema: { type: "string" } });
  const bodyFields = [...fields.keys()].filter((f) => !inQuery.includes(f) && f !== route.ifMatch);
  const op: Record<string, unknown> = {
    operationId: route.procedure.replace(".", "_") + (route.method === "GET" ? "" : `_${route.method.toLowerCase()}`),
    summary: route.summary,
    "x-trpc-procedure": route.procedure,
    parameters,
    responses: {
      [String(route.status ?? 200)]: { description: "OK", content: { "application/json": { schema: {} } } },
      ...(route.etag ? { "304": { description: "Not modified (If-None-Match matched the version)" } } : {}),
      ...(route.ifMatch ? { "412": ERROR } : {}),
      "400": ERROR,
      "401": ERROR,
      "403": ERROR,
      "404": ERROR,
      "429": ERROR,
    },
  };
  if (bodyFields.length > 0 && route.method !== "GET") {
    const properties = Object.fromEntries(bodyFields.map((f) => [f, fields.get(f)?.schema]));
    const required = bodyFields.filter((f) => fields.get(f)?.required);
    op["requestBody"] = {
      required: required.length > 0,
      content: { "application/json": { schema: { type: "object", properties, required } } },
    };
  }
  return op;
}

/** Routes of the watch module, documented beside the generated ones. */
const WATCH_PATHS = {
  "/api/v1/watch": {
    get: {
      operationId: "watch",
      summary:
        "Long-poll: answers at once with the paths that moved past the given mzxids, else holds (up to timeout s, max 60) and answers 304",
      parameters: [
        {
          name: "path",
          in: "query",
          required: true,
          schema: { type: "array", items: { type: "string" } },
          style: "form",
          explode: true,
        },
        {
          name: "mzxid",
          in: "query",
          required: false,
          schema: { type: "array", items: { type: "string", pattern: "^\\d{1,20}$" } },
          style: "form",
          explode: true,
        },
        { name: "timeout", in: "query", required: false, schema: { type: "integer", minimum: 0, maximum: 60 } },
      ],
      responses: {
        "200": {
          description: "What moved",
          content: { "application/json": { schema: { $ref: "#/components/schemas/WatchAnswer" } } },
        },
        "304": { description: "Nothing moved before the timeout" },
        "400": ERROR,
        "401": ERROR,
        "403": ERROR,
        "429": ERROR,
      },
    },
  },
  "/api/v1/events": {
    get: {
      operationId: "events",
      summary: "Server-Sent Events for a prefix; each event's id is its zxid, resume with Last-Event-ID",
      parameters: [
        { name: "prefix", in: "query", required: true, schema: { type: "string" } },
        { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" } },
      ],
      responses: {
        "200": {
          description: "text/event-stream of `changed` events",
          content: { "text/event-stream": { schema: { type: "string" } } },
        },
        "400": ERROR,
        "401": ERROR,
        "403": ERROR,
        "429": ERROR,
      },
    },
  },
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of REST_ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: { title: "Conifer API", version: "1" },
    security: [{ bearer: [] }, { session: [] }],
    paths: { ...paths, ...WATCH_PATHS },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (cnf_…)" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "conifer_session",
          description: "A console session; writes also need x-csrf-token",
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
            },
          },
        },
        WatchAnswer: {
          type: "object",
          properties: {
            changes: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  path: { type: "string" },
                  exists: { type: "boolean" },
                  version: { type: "integer" },
                  mzxid: { type: "string" },
                },
              },
            },
          },
        },
      },
    },
  };
}
