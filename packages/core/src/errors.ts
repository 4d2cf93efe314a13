/**
 * ConfigError: the product's one error (config, history and auth failures alike), with a closed
 * set of codes and details typed per code. `toConfigError` is the one translation into it (backend
 * CoordinatorError, history-store HistoryError, input ZodError, anything else); the edges turn a
 * ConfigError into their transport's answer from the one table in error-transport.ts.
 */
import { CoordinatorError, type ErrorCodeName } from "@conifer/coordinator";
import type { Format, StatDTO } from "./dto.ts";

export const CONFIG_ERROR_CODES = [
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "CONFLICT",
  "INVALID_CONTENT",
  "INVALID_PATH",
  "INVALID_INPUT",
  "TOO_LARGE",
  "NOT_EMPTY",
  "FORBIDDEN",
  "UNAUTHENTICATED",
  "RATE_LIMITED",
  "BACKEND_UNAVAILABLE",
  "INTERNAL",
] as const;
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

/** One input validation problem: where in the input (field names) and what is wrong. */
export interface InputIssue {
  path: string[];
  message: string;
}

/** What a stale write is told: the node as it is now, so the client can merge and retry. */
export interface ConflictState {
  /** -1 when the node was deleted meanwhile */
  currentVersion: number;
  currentContent: string | null;
  currentStat: StatDTO | null;
  expectedVersion?: number;
}

/** A change or release rollback refused because keys moved since it began: nothing was written. */
export interface ReleaseConflict {
  conflicts: string[];
  changeId?: string;
  releaseId?: string;
  /** the gray release holding the keys (a direct edit refused while it is active) */
  grayId?: string;
}

/** Which lower layer failed, for logs and scripts (ZooKeeper's code name, the history store's code). */
interface Cause {
  backendCode?: ErrorCodeName;
  historyCode?: string;
}

/**
 * The JSON-safe facts each code carries, what clients branch on. Every code may also say
 * `outcome: "unknown"`: a write whose answer was lost may or may not have been applied.
 */
interface DetailsByCode {
  NOT_FOUND: { path?: string; id?: string } & Cause;
  ALREADY_EXISTS: { path?: string };
  /** a BAD_VERSION from a write that could not read the current node carries only the path */
  CONFLICT: ConflictState | { path?: string } | ReleaseConflict;
  INVALID_CONTENT: { format: Format; line: number; column: number };
  INVALID_PATH: { reason?: string; path?: string; issues?: InputIssue[] };
  INVALID_INPUT: { path?: string; id?: string; issues?: InputIssue[] } & Cause;
  TOO_LARGE: { size: number; limit: number };
  NOT_EMPTY: { path?: string; numChildren?: number };
  FORBIDDEN: {
    path?: string;
    action?: string;
    reason?: "csrf" | "origin" | "last-admin" | "review" | "own-change" | "system";
  };
  UNAUTHENTICATED: Record<string, never>;
  RATE_LIMITED: { retryAfterMs: number };
  BACKEND_UNAVAILABLE: Cause;
  INTERNAL: Cause;
}
export type ConfigErrorDetails<C extends ConfigErrorCode = ConfigErrorCode> = DetailsByCode[C] & {
  outcome?: "unknown";
};

/** The error as every transport carries it: tRPC's `data.conifer`, REST bodies, socket acks. */
export type ConfigErrorBody = {
  [C in ConfigErrorCode]: { code: C; message: string; details: ConfigErrorDetails<C> };
}[ConfigErrorCode];

export class ConfigError<C extends ConfigErrorCode = ConfigErrorCode> extends Error {
  override readonly name = "ConfigError";
  readonly details: ConfigErrorDetails<C>;
  constructor(
    readonly code: C,
    message: string,
    details?: ConfigErrorDetails<C>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.details = details ?? ({} as ConfigErrorDetails<C>);
  }

  static is<K extends ConfigErrorCode = ConfigErrorCode>(err: unknown, code?: K): err is ConfigError<K> {
    return err instanceof ConfigError && (code === undefined || err.code === code);
  }

  /** The wire shape; `code` and `details` agree by construction, which TypeScript cannot see here. */
  toBody(): ConfigErrorBody {
    return { code: this.code, message: this.message, details: this.details } as ConfigErrorBody;
  }
}

/**
 * The one translation into ConfigError. `path` is what the user asked for, used when the
 * failure does not name one. A ConfigError passes through; anything unrecognised is INTERNAL.
 */
export function toConfigError(err: unknown, path?: string): ConfigError {
  if (ConfigError.is(err)) return err;
  if (err instanceof CoordinatorError) return fromCoordinator(err, path);
  if (err instanceof Error && err.name === "HistoryError") return fromHistory(err);
  if (err instanceof Error && err.name === "ZodError") return fromInput(err);
  const message = err instanceof Error ? err.message : String(err);
  return new ConfigError("INTERNAL", `Internal error: ${message}`, {}, { cause: err });
}

/**
 * BAD_VERSION becomes a bare CONFLICT here: a useful one carries the current content, which only
 * the writer can read (config-writer.ts does).
 */
function fromCoordinator(err: CoordinatorError, path?: string): ConfigError {
  const where = err.path ?? path;
  const at = where ? ` ${where}` : "";
  const cause = { cause: err };
  switch (err.code) {
    case "NO_NODE":
      return new ConfigError("NOT_FOUND", `No such node:${at}`, { path: where }, cause);
    case "NODE_EXISTS":
      return new ConfigError("ALREADY_EXISTS", `Node already exists:${at}`, { path: where }, cause);
    case "NOT_EMPTY":
      return new ConfigError(
        "NOT_EMPTY",
        `Node has children:${at} (delete recursively or remove them first)`,
        { path: where },
        cause,
      );
    case "NO_AUTH":
    case "AUTH_FAILED":
      return new ConfigError("FORBIDDEN", `Not allowed by the node's ACL:${at}`, { path: where }, cause);
    case "BAD_ARGUMENTS":
      return new ConfigError("INVALID_PATH", err.message, { reason: err.message, path: where }, cause);
    case "NO_CHILDREN_FOR_EPHEMERALS":
      return new ConfigError(
        "INVALID_PATH",
        `Ephemeral nodes cannot have children:${at}`,
        { reason: "parent is ephemeral", path: where },
        cause,
      );
    case "BAD_VERSION":
      return new ConfigError("CONFLICT", `Version conflict:${at}`, { path: where }, cause);
    case "CONNECTION_LOSS":
    case "SESSION_EXPIRED":
    case "OPERATION_TIMEOUT":
    case "REQUEST_TIMEOUT":
    case "SESSION_MOVED":
    case "THROTTLED_OP":
    case "NEW_CONFIG_NO_QUORUM":
    case "NOT_READONLY": {
      // the backend's own words say why (e.g. "members down or no quorum"); a bare code does not
      const why =
        err.message && err.message !== err.code && !err.message.startsWith(`${err.code}:`) ? `: ${err.message}` : "";
      return new ConfigError(
        "BACKEND_UNAVAILABLE",
        `Coordination backend unavailable (${err.code}${why}); try again`,
        { backendCode: err.code },
        cause,
      );
    }
    default:
      return new ConfigError("INTERNAL", `Backend error ${err.code}:${at}`, { backendCode: err.code }, cause);
  }
}

/** A history-store failure, matched by name and code so core does not depend on the store's class. */
function fromHistory(err: Error): ConfigError {
  const raw = (err as Error & { code?: unknown }).code;
  const code = typeof raw === "string" ? raw : undefined;
  const cause = { cause: err };
  switch (code) {
    case "INVALID_ARGUMENT":
    case "INVALID_CURSOR":
      return new ConfigError("INVALID_INPUT", err.message, { historyCode: code }, cause);
    case "NOT_FOUND":
      return new ConfigError("NOT_FOUND", err.message, { historyCode: code }, cause);
    case "UNAVAILABLE":
    case "CLOSED":
      return new ConfigError(
        "BACKEND_UNAVAILABLE",
        `History database unavailable: ${err.message}`,
        { historyCode: code },
        cause,
      );
    default:
      return new ConfigError("INTERNAL", `History database error: ${err.message}`, { historyCode: code }, cause);
  }
}

/**
 * An input validation failure (zod's ZodError, matched by name: core does not depend on zod).
 * A bad `path` or `under` field is INVALID_PATH, anything else INVALID_INPUT.
 */
function fromInput(err: Error): ConfigError {
  const raw = (err as Error & { issues?: unknown }).issues;
  const issues = (Array.isArray(raw) ? raw : []) as { path?: unknown[]; message?: string }[];
  const first = issues[0];
  const where = first?.path?.length ? `${first.path.join(".")}: ` : "";
  const msg = `${where}${first?.message ?? "invalid input"}`;
  const listed = issues.map((i) => ({ path: (i.path ?? []).map(String), message: i.message ?? "" }));
  const field = first?.path?.[0];
  if (field === "path" || field === "under") {
    return new ConfigError("INVALID_PATH", `Invalid path: ${msg}`, { reason: first?.message, issues: listed });
  }
  return new ConfigError("INVALID_INPUT", `Invalid input: ${msg}`, { issues: listed });
}
