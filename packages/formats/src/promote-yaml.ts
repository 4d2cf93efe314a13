/**
 * The YAML writer of a field promote: the edits are applied to the target's Document (the yaml
 * package's model keeps comments, key order, flow/block style and quoting), so the output is
 * the target as it was with only those fields changed. A changed scalar keeps its own node (its
 * comment and quoting); a new or replaced subtree is the source's node, cloned, so it arrives
 * with the source's comments, unless it holds anchors or aliases, which could clash with the
 * target's: then it is built from its value.
 */
import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  visit,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { formatFieldPath, type FieldPath } from "./field-path.ts";
import { stripBom } from "./position.ts";
import type { PromoteError, WriteInput } from "./promote.ts";
import { sameValue } from "./values.ts";

const PARSE = { uniqueKeys: true } as const;

class Blocked extends Error {}

export function promoteYaml(w: WriteInput): string | PromoteError {
  const target = parseDocument(stripBom(w.target), PARSE);
  const source = parseDocument(stripBom(w.source), PARSE);
  try {
    for (const d of w.diff.differing) setField(target, source, d.path, d.right);
    // removals from the end, so list indexes still point at the same items
    for (const d of [...w.diff.onlyLeft].reverse()) removeField(target, d.path);
    for (const d of w.diff.onlyRight) addField(target, source, d.path, d.value);
    const bom = w.target.charCodeAt(0) === 0xfeff ? "\ufeff" : "";
    return bom + target.toString({ lineWidth: 0 });
  } catch (err) {
    if (!(err instanceof Blocked)) throw err;
    return { code: "NOT_PRESERVED", message: err.message };
  }
}

type Collection = YAMLMap | YAMLSeq;

const keyText = (key: unknown): string => (isScalar(key) ? String(key.value) : String(key));

function pairOf(map: YAMLMap, seg: string | number): Pair | undefined {
  return map.items.find((p) => keyText(p.key) === String(seg));
}

/** The collection that holds `path`'s last segment; an alias on the way is refused (editing it would edit its anchor). */
function parentOf(doc: Document, path: FieldPath): Collection {
  let cur: unknown = doc.contents;
  for (const seg of path.slice(0, -1)) {
    if (isAlias(cur))
      throw new Blocked(`The target reaches ${formatFieldPath(path, "yaml")} through an alias; edit it by hand`);
    cur = isMap(cur) ? pairOf(cur, seg)?.value : isSeq(cur) ? cur.items[Number(seg)] : undefined;
  }
  if (isMap(cur) || isSeq(cur)) return cur;
  throw new Blocked(`The target has no collection to hold ${formatFieldPath(path, "yaml")}`);
}

/** The node at `path` (aliases not followed), or undefined. */
function nodeAt(doc: Document, path: FieldPath): unknown {
  let cur: unknown = doc.contents;
  for (const seg of path) {
    cur = isMap(cur) ? pairOf(cur, seg)?.value : isSeq(cur) ? cur.items[Number(seg)] : undefined;
  }
  return cur;
}

/** The source's node at `path` when it is safe to copy and holds `value`; null otherwise. */
function sourceNode(source: Document, path: FieldPath, value: unknown): Node | null {
  const cur = nodeAt(source, path);
  if (!isNode(cur) || hasAnchors(cur) || !sameValue(cur.toJS(source), value)) return null;
  return cur.clone() as Node;
}

function hasAnchors(node: Node): boolean {
  let found = false;
  visit(node, {
    Node(_, n) {
      if (isAlias(n) || n.anchor) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function newNode(target: Document, source: Document, path: FieldPath, value: unknown): Node {
  return sourceNode(source, path, value) ?? target.createNode(value);
}

function setField(target: Document, source: Document, path: FieldPath, value: unknown): void {
  if (path.length === 0) {
    target.contents = newNode(target, source, path, value);
    return;
  }
  const parent = parentOf(target, path);
  const seg = path[path.length - 1] as string | number;
  const current = isMap(parent) ? pairOf(parent, seg)?.value : parent.items[Number(seg)];
  const replacement = newNode(target, source, path, value);
  if (isScalar(current) && isScalar(replacement) && !current.anchor) {
    current.value = replacement.value; // its comment and quoting stay
    return;
  }
  if (isMap(parent)) {
    const pair = pairOf(parent, seg);
    if (pair) pair.value = replacement;
  } else parent.items[Number(seg)] = replacement;
}

function removeField(target: Document, path: FieldPath): void {
  const parent = parentOf(target, path);
  const seg = path[path.length - 1] as string | number;
  if (isMap(parent)) {
    const i = parent.items.findIndex((p) => keyText(p.key) === String(seg));
    if (i >= 0) parent.items.splice(i, 1);
  } else parent.items.splice(Number(seg), 1);
}

function addField(target: Document, source: Document, path: FieldPath, value: unknown): void {
  const parent = parentOf(target, path);
  const seg = path[path.length - 1] as string | number;
  const node = newNode(target, source, path, value);
  if (isSeq(parent)) {
    parent.items.push(node);
    return;
  }
  // the source's key node keeps its comment and its type (a key written `8080:` stays a number)
  const srcParent = nodeAt(source, path.slice(0, -1));
  const srcKey = isMap(srcParent) ? pairOf(srcParent, seg)?.key : undefined;
  const key = isNode(srcKey) && !hasAnchors(srcKey) ? srcKey.clone() : target.createNode(String(seg));
  parent.items.push(new Pair(key, node));
}
