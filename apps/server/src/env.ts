/**
 * The only place that reads process.env: validated with zod, turned into a ServerConfig.
 * PORT, HOST, CONIFER_ZK_PORT, CONIFER_ZK_4LW_WHITELIST, CONIFER_DATA_DIR, CONIFER_BACKEND_URL, DATABASE_URL, CONIFER_ADMIN_USER, CONIFER_ADMIN_PASSWORD, CONIFER_SCHEDULE_TICK_MS, CONIFER_API_RATE_LIMIT,
 * CONIFER_TEST_PAUSE_AT (tests only).
 */
import { parseBackendUrl } from "@conifer/shared";
import { z } from "zod";
import type { ServerConfig } from "./config.ts";

const zEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  CONIFER_DATA_DIR: z.string().min(1).default("./data"),
  /** embedded engine: ZooKeeper client port (default 2181; 0 turns the wire door off) */
  CONIFER_ZK_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** the wire door's 4lw.commands.whitelist: "*" or e.g. "srvr,ruok,mntr" (default "srvr", as ZooKeeper) */
  CONIFER_ZK_4LW_WHITELIST: z.string().optional(),
  CONIFER_BACKEND_URL: z
    .string()
    .default("embedded:")
    .superRefine((u, ctx) => {
      try {
        parseBackendUrl(u);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (u) => u === undefined || u === "" || /^(file:|postgres(ql)?:\/\/)/.test(u),
      "must be file:<path> or postgres://...",
    ),
  CONIFER_SERVE_CONSOLE: z.enum(["true", "false", "1", "0"]).optional(),
  /** first start only (no users yet): the admin's name and password; no password = a generated one, printed once */
  CONIFER_ADMIN_USER: z.string().min(1).max(64).default("admin"),
  CONIFER_ADMIN_PASSWORD: z
    .string()
    .max(1024)
    .optional()
    .refine((v) => !v || v.length >= 8, "must be at least 8 characters"),
  /** embedded engine only: the server's digest credentials "user:password" (on ZooKeeper they go in the URL) */
  /** "true" behind a reverse proxy that sets X-Forwarded-For (client addresses for lockout and audit) */
  CONIFER_TRUST_PROXY: z.enum(["true", "false", "1", "0"]).optional(),
  /** how often scheduled publishes are looked for, in ms (default 5000) */
  /** /api/v1 requests per minute per API token or user */
  CONIFER_API_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000_000).optional(),
  CONIFER_SCHEDULE_TICK_MS: z.coerce.number().int().min(50).max(3_600_000).optional(),
  /** tests only: stop for good at this publish step (@conifer/core/testing), to be SIGKILLed there */
  CONIFER_TEST_PAUSE_AT: z.string().min(1).optional(),
  CONIFER_BACKEND_DIGEST: z
    .string()
    .regex(/^[^:]+:.+$/, 'must be "user:password"')
    .optional(),
});

export type Env = z.infer<typeof zEnv>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = zEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function configFromEnv(env: Env): Partial<ServerConfig> {
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: env.CONIFER_DATA_DIR,
    backendUrl: env.CONIFER_BACKEND_URL,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    serveConsole:
      env.CONIFER_SERVE_CONSOLE === undefined
        ? true
        : env.CONIFER_SERVE_CONSOLE === "true" || env.CONIFER_SERVE_CONSOLE === "1",
    quiet: false,
    adminUser: env.CONIFER_ADMIN_USER,
    ...(env.CONIFER_ADMIN_PASSWORD ? { adminPassword: env.CONIFER_ADMIN_PASSWORD } : {}),
    ...(env.CONIFER_BACKEND_DIGEST ? { backendDigest: env.CONIFER_BACKEND_DIGEST } : {}),
    trustProxy: env.CONIFER_TRUST_PROXY === "true" || env.CONIFER_TRUST_PROXY === "1",
    ...(env.CONIFER_ZK_PORT === 0 ? {} : { zkPort: env.CONIFER_ZK_PORT ?? 2181 }),
    zkPortExplicit: env.CONIFER_ZK_PORT !== undefined,
    ...(env.CONIFER_ZK_4LW_WHITELIST ? { zkFourLetterWords: env.CONIFER_ZK_4LW_WHITELIST } : {}),
    ...(env.CONIFER_API_RATE_LIMIT ? { apiRateLimit: env.CONIFER_API_RATE_LIMIT } : {}),
    ...(env.CONIFER_SCHEDULE_TICK_MS ? { scheduleTickMs: env.CONIFER_SCHEDULE_TICK_MS } : {}),
  };
}
