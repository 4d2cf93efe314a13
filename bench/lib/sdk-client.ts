/**
 * An SDK client as the load generators open them by the thousand: long request timeout (a
 * loaded server answers slowly), slow reconnects (no storm against a struggling server), and
 * warnings dropped (thousands of identical lines would drown the report).
 */
import { createClient, type ConiferClient } from "@conifer/sdk";

export function loadClient(url: string, token: string | undefined): ConiferClient {
  return createClient({
    url,
    ...(token ? { token } : {}),
    requestTimeoutMs: 300_000,
    reconnect: { minDelayMs: 1000, maxDelayMs: 5000 },
    logger: { warn: () => {} },
  });
}
