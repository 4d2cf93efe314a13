/**
 * The one typed error of the coordination layer. Codes are ZooKeeper's (KeeperException.Code),
 * so the embedded engine and the ZooKeeper adapter report failures identically and the layers
 * above map them to HTTP/tRPC codes in exactly one place.
 */

export const ErrorCode = {
  OK: 0,
  SYSTEM_ERROR: -1,
  RUNTIME_INCONSISTENCY: -2,
  DATA_INCONSISTENCY: -3,
  CONNECTION_LOSS: -4,
  MARSHALLING_ERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATION_TIMEOUT: -7,
  BAD_ARGUMENTS: -8,
  NEW_CONFIG_NO_QUORUM: -13,
  API_ERROR: -100,
  NO_NODE: -101,
  NO_AUTH: -102,
  BAD_VERSION: -103,
  NO_CHILDREN_FOR_EPHEMERALS: -108,
  NODE_EXISTS: -110,
  NOT_EMPTY: -111,
  SESSION_EXPIRED: -112,
  INVALID_ACL: -114,
  AUTH_FAILED: -115,
  SESSION_MOVED: -118,
  NOT_READONLY: -119,
  NO_WATCHER: -121,
  REQUEST_TIMEOUT: -122,
  QUOTA_EXCEEDED: -125,
  THROTTLED_OP: -127,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeNumber = (typeof ErrorCode)[ErrorCodeName];

const nameByNumber = new Map<number, ErrorCodeName>(
  (Object.keys(ErrorCode) as ErrorCodeName[]).map((k) => [ErrorCode[k], k]),
);

export function errorCodeName(code: number): ErrorCodeName {
  return nameByNumber.get(code) ?? "SYSTEM_ERROR";
}

/** Codes after which the same request may succeed if retried (possibly on another member). */
const RETRYABLE: ReadonlySet<ErrorCodeName> = new Set([
  "CONNECTION_LOSS",
  "OPERATION_TIMEOUT",
  "REQUEST_TIMEOUT",
  "SESSION_MOVED",
  "THROTTLED_OP",
  "NEW_CONFIG_NO_QUORUM",
]);

export class CoordinatorError extends Error {
  override readonly name = "CoordinatorError";
  constructor(
    readonly code: ErrorCodeName,
    message?: string,
    /** The path the failing operation was about, when there is one. */
    readonly path?: string,
    options?: { cause?: unknown; opCodes?: ErrorCodeName[] },
  ) {
    super(message ?? (path ? `${code}: ${path}` : code), options);
    this.opCodes = options?.opCodes;
  }

  /**
   * For a failed multi: one code per sub-op, as ZooKeeper reports them (OK before the failing
   * op, its own code, RUNTIME_INCONSISTENCY after it). `code` is the first non-OK one.
   */
  readonly opCodes: ErrorCodeName[] | undefined;

  get codeNumber(): number {
    return ErrorCode[this.code];
  }

  /** True when the outcome of a write is unknown or it was refused for a transient reason. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  static is(err: unknown, code?: ErrorCodeName): err is CoordinatorError {
    return err instanceof CoordinatorError && (code === undefined || err.code === code);
  }
}
