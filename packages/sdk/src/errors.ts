/**
 * The SDK's one error type. Applications switch on `code`, never on message text, so the set
 * of codes is closed and each one says what the application can do about it.
 */

export type SdkErrorCode =
  /** the path does not exist on the server (or did not when last known) */
  | "NOT_FOUND"
  /** the server could not be reached and nothing was known about the path locally */
  | "UNREACHABLE"
  /** the content of a version could not be parsed; the last good value is kept */
  | "INVALID_CONTENT"
  /** the client was closed */
  | "CLOSED";

export interface SdkErrorDetails {
  path?: string;
  /** for INVALID_CONTENT: the rejected version and where the parser stopped */
  version?: number;
  mzxid?: string;
  format?: string;
  line?: number;
  column?: number;
}

export class SdkError extends Error {
  override readonly name = "SdkError";
  readonly code: SdkErrorCode;
  readonly details: SdkErrorDetails;

  constructor(code: SdkErrorCode, message: string, details: SdkErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isSdkError(e: unknown): e is SdkError {
  return e instanceof SdkError;
}
