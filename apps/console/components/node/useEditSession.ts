/**
 * The state of editing one node: the version the edit started from (`base`), the draft, and
 * what the server did meanwhile. Rules: a clean view follows the server and says what changed;
 * a dirty view is never overwritten — it gets told the server moved and can rebase.
 */
"use client";
import { useEffect, useState } from "react";
import { merge3 } from "../../lib/linediff.ts";
import type { NodeData } from "../../lib/types.ts";

export interface Snapshot {
  content: string;
  version: number;
  mzxid: string;
}

export type Notice =
  | { kind: "updated"; from: Snapshot; to: Snapshot }
  | { kind: "published"; version: number }
  | { kind: "rebased"; version: number; conflicts: number }
  | { kind: "reloaded"; version: number };

export function snapshotOf(node: NodeData): Snapshot {
  return { content: node.data, version: node.stat.version, mzxid: node.stat.mzxid };
}

export function useEditSession(node: NodeData) {
  const [base, setBase] = useState<Snapshot>(() => snapshotOf(node));
  const [draft, setDraft] = useState(node.data);
  const [remote, setRemote] = useState<Snapshot | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const liveMzxid = node.stat.mzxid;
  useEffect(() => {
    const live = snapshotOf(node);
    if (live.mzxid === base.mzxid) {
      setRemote(null);
      return;
    }
    if (draft === live.content) {
      // our own publish (or the same edit made elsewhere): nothing to tell
      setBase(live);
      setRemote(null);
    } else if (draft === base.content) {
      setNotice({ kind: "updated", from: base, to: live });
      setBase(live);
      setDraft(live.content);
      setRemote(null);
    } else {
      setRemote(live);
    }
    // only a new server version should trigger this, not every keystroke
  }, [liveMzxid]);

  return {
    base,
    draft,
    remote,
    notice,
    dirty: draft !== base.content,
    setDraft,
    setNotice,
    discard() {
      setDraft(base.content);
    },
    /** after a successful publish of `content` as `stat` */
    published(content: string, stat: { version: number; mzxid: string }) {
      setBase({ content, version: stat.version, mzxid: stat.mzxid });
      setDraft(content);
      setRemote(null);
      setNotice({ kind: "published", version: stat.version });
    },
    /** drop the edit and take the server's version */
    reload(to: Snapshot) {
      setBase(to);
      setDraft(to.content);
      setRemote(null);
      setNotice({ kind: "reloaded", version: to.version });
    },
    /** re-apply my edit (base -> draft) on top of `theirs`; returns how many overlaps need a hand */
    rebase(from: Snapshot, theirs: Snapshot): number {
      const merged = merge3(from.content, draft, theirs.content, `version ${theirs.version} (theirs)`);
      setBase(theirs);
      setDraft(merged.text);
      setRemote(null);
      setNotice({ kind: "rebased", version: theirs.version, conflicts: merged.conflicts });
      return merged.conflicts;
    },
  };
}

export type EditSession = ReturnType<typeof useEditSession>;
