/**
 * One REST call as a script with curl would make it: a JSON body (a string is sent as it is, so
 * malformed JSON can be tried), the API token as a bearer when given; the answer's status and
 * JSON body (every /api/v1 answer, errors included, is JSON).
 */
export interface RestCall {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function rest(
  url: string,
  method: string,
  route: string,
  { token, body, headers = {} }: RestCall = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      "content-type": "application/json",
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
