/** The minimal logger core writes to; the server passes one that prefixes and filters. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const consoleLogger: Logger = {
  info: (m) => console.log(`[conifer] ${m}`),
  warn: (m) => console.warn(`[conifer] ${m}`),
  error: (m, err) => console.error(`[conifer] ${m}`, err ?? ""),
};
