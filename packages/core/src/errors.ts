/**
 * ConfigError: the one typed error of the domain layer. Its codes are a closed set that the API
 * edge maps to tRPC/HTTP codes in exactly one place (packages/api/src/errors.ts). Backend
 * failures (CoordinatorError) are translated here, once, so callers never see ZooKeeper codes.
 */
import { CoordinatorError } from "@conifer/coordinator";

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

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    /** JSON-safe facts the client can act on (e.g. currentVersion for CONFLICT) */
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static is(err: unknown, code?: ConfigErrorCode): err is ConfigError {
    return err instanceof ConfigError && (code === undefined || err.code === code);
  }
}

/**
 * Translates a backend failure into the domain vocabulary. `path` is what the user asked for;
 * BAD_VERSION is not handled here because a useful CONFLICT needs the current content, which
 * only the caller can read.
 */
export function fromCoordinator(err: unknown, path?: string): unknown {
  if (!(err instanceof CoordinatorError)) return err;
  const where = err.path ?? path;
  const at = where ? ` ${where}` : "";
  switch (err.code) {
    case "NO_NODE":
      return new ConfigError("NOT_FOUND", `No such node:${at}`, { path: where }, { cause: err });
    case "NODE_EXISTS":
      return new ConfigError("ALREADY_EXISTS", `Node already exists:${at}`, { path: where }, { cause: err });
    case "NOT_EMPTY":
      return new ConfigError(
        "NOT_EMPTY",
        `Node has children:${at} (delete recursively or remove them first)`,
        { path: where },
        { cause: err },
      );
    case "NO_AUTH":
    case "AUTH_FAILED":
      return new ConfigError("FORBIDDEN", `Not allowed by the node's ACL:${at}`, { path: where }, { cause: err });
    case "BAD_ARGUMENTS":
      return new ConfigError("INVALID_PATH", err.message, { reason: err.message, path: where }, { cause: err });
    case "NO_CHILDREN_FOR_EPHEMERALS":
      return new ConfigError(
        "INVALID_PATH",
        `Ephemeral nodes cannot have children:${at}`,
        { reason: "parent is ephemeral", path: where },
        { cause: err },
      );
    case "BAD_VERSION":
      return new ConfigError("CONFLICT", `Version conflict:${at}`, { path: where }, { cause: err });
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
        { cause: err },
      );
    }
    default:
      return new ConfigError("INTERNAL", `Backend error ${err.code}:${at}`, { backendCode: err.code }, { cause: err });
  }
}

/**
 * Translates a history-store failure (HistoryError, matched by name and code so core does not
 * depend on the store's class identity) into the domain vocabulary; other values pass through.
 */
export function fromHistory(err: unknown): unknown {
  if (!(err instanceof Error) || err.name !== "HistoryError") return err;
  const code = (err as Error & { code?: string }).code;
  switch (code) {
    case "INVALID_ARGUMENT":
    case "INVALID_CURSOR":
      return new ConfigError("INVALID_INPUT", err.message, { historyCode: code }, { cause: err });
    case "NOT_FOUND":
      return new ConfigError("NOT_FOUND", err.message, { historyCode: code }, { cause: err });
    case "UNAVAILABLE":
    case "CLOSED":
      return new ConfigError(
        "BACKEND_UNAVAILABLE",
        `History database unavailable: ${err.message}`,
        { historyCode: code },
        { cause: err },
      );
    default:
      return new ConfigError(
        "INTERNAL",
        `History database error: ${err.message}`,
        { historyCode: code },
        { cause: err },
      );
  }
}
