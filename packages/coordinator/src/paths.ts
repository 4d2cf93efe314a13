/**
 * ZooKeeper path rules (§1.1 of the protocol reference) and path arithmetic, shared by every
 * layer (the console too, through the browser-safe `@conifer/coordinator/paths` entry) so that a
 * bad path is refused with the same message wherever it enters and "/" has one parent: none ("").
 */
import { CoordinatorError } from "./errors.ts";

/** Returns why `path` is not a valid znode path, or null when it is valid. */
export function pathProblem(path: string): string | null {
  if (typeof path !== "string" || path.length === 0) return "path must not be empty";
  if (path[0] !== "/") return "path must start with /";
  if (path.length === 1) return null;
  if (path.endsWith("/")) return "path must not end with /";
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return `null character not allowed at index ${i}`;
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
      return `invalid character U+${c.toString(16).toUpperCase().padStart(4, "0")} at index ${i}`;
    }
  }
  for (const seg of path.slice(1).split("/")) {
    if (seg === "") return "empty segment (//) not allowed";
    if (seg === "." || seg === "..") return `relative segment "${seg}" not allowed`;
  }
  return null;
}

export function isValidPath(path: string): boolean {
  return pathProblem(path) === null;
}

/** Throws BAD_ARGUMENTS when the path is invalid. */
export function assertValidPath(path: string): void {
  const problem = pathProblem(path);
  if (problem) throw new CoordinatorError("BAD_ARGUMENTS", `invalid path ${JSON.stringify(path)}: ${problem}`, path);
}

/** "/a/b" -> "/a"; "/a" -> "/"; "/" -> "" */
export function parentOf(path: string): string {
  if (path === "/") return "";
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** "/a/b" -> "b"; "/" -> "" */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Every ancestor of a path, root first, without the path itself: "/a/b" -> ["/", "/a"]; "/" -> [] */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let p = parentOf(path); p !== ""; p = parentOf(p)) out.unshift(p);
  return out;
}

export function joinPath(parent: string, child: string): string {
  return parent === "/" ? `/${child}` : `${parent}/${child}`;
}

/** true when `path` is `ancestor` itself or lies below it */
export function isWithin(path: string, ancestor: string): boolean {
  if (ancestor === "/") return true;
  return path === ancestor || path.startsWith(`${ancestor}/`);
}
