/** Returns `value`, or throws naming `what` when a bench invariant (a worker, a pid, a sample) is broken. */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`bench invariant broken: ${what} is missing`);
  return value;
}
