/**
 * Create a node under the current one: persistent, sequential (the server appends a 10-digit
 * counter) or container. A name with slashes creates the missing intermediate nodes too.
 * A persistent node can instead go into a change request ("Add to a change"); under a review
 * policy that is the only way, and the direct Create is disabled.
 */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { coniferError } from "../../lib/errors.ts";
import { joinPath } from "@conifer/coordinator/paths";
import { FORMAT_LABEL, formatOf } from "@conifer/formats";
import { nodeHref } from "../../lib/paths.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { validate } from "../../lib/validate.ts";
import { FormDialog, MessageField } from "../FormDialog.tsx";
import { AddToChange } from "./AddToChange.tsx";
import { Editor } from "./Editor.tsx";
import { usePolicy } from "./usePolicy.ts";
import { ReviewRequiredNote, reviewRequiredTitle } from "./ReviewRequiredNote.tsx";
import "./node.css";

type Mode = "persistent" | "persistent_sequential" | "container";

/**
 * What a new node's editor starts with, and where its cursor goes: a JSON object open on an
 * indented empty line, so typing fills it in (with `{}` the cursor sat after the braces).
 */
const STARTERS: Record<string, { text: string; cursor: number }> = {
  json: { text: "{\n  \n}\n", cursor: 4 },
};

export function CreateChildDialog({ parent, onClose }: { parent: string; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [mode, setMode] = useState<Mode>("persistent");
  const [content, setContent] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const create = useMutation(trpc.config.create.mutationOptions());

  const rel = name.trim().replace(/^\/+|\/+$/g, "");
  const leaf = rel.split("/").pop() ?? "";
  const format = formatOf(leaf);
  const starter = STARTERS[format];
  const text = content ?? starter?.text ?? "";
  const validation = useMemo(() => validate(format, text), [format, text]);
  const nameProblem = !rel
    ? "Enter a name"
    : rel.split("/").some((s) => s === "" || s === "." || s === "..")
      ? "Names cannot be empty, '.' or '..'"
      : null;
  const target = rel ? joinPath(parent, rel) : null;
  const policy = usePolicy(target ?? parent);
  const blocked = nameProblem ?? (validation.ok ? null : validation.message);

  async function submit() {
    if (!target || nameProblem || !validation.ok) return;
    // intermediate nodes first; one that already exists is fine
    const segments = rel.split("/");
    for (let i = 1; i < segments.length; i++) {
      const p = joinPath(parent, segments.slice(0, i).join("/"));
      try {
        await create.mutateAsync({ path: p, content: "", mode: "persistent" });
      } catch (err) {
        if (coniferError(err)?.code !== "ALREADY_EXISTS") throw err;
      }
    }
    const res = await create.mutateAsync({
      path: target,
      content: text,
      mode,
      ...(message.trim() ? { message: message.trim() } : {}),
    });
    onClose();
    router.push(nodeHref(res.path));
  }

  return (
    <FormDialog
      title={`New node under ${parent}`}
      onClose={onClose}
      onSubmit={submit}
      wide
      submit={{
        label: "Create",
        pendingLabel: "Creating…",
        pending: create.isPending,
        disabled: !!blocked || policy.reviewed,
        title: blocked ?? reviewRequiredTitle(policy, "the node"),
      }}
    >
      <label className="field">
        <span>Name</span>
        <input
          className="input mono"
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="limits.json   or   prod/limits.json"
          aria-label="Name"
        />
        <span className="muted small">
          {target ? (
            <>
              Creates <code>{target}</code>
              {mode === "persistent_sequential" ? <> + a 10-digit counter</> : null} · format {FORMAT_LABEL[format]}
            </>
          ) : (
            "The suffix picks the format: .json .yaml .properties .toml (anything else: text)"
          )}
        </span>
      </label>
      <fieldset className="field">
        <legend>Kind</legend>
        <div className="radio-row">
          {(
            [
              ["persistent", "Persistent", "stays until deleted"],
              ["persistent_sequential", "Sequential", "name gets a unique increasing suffix"],
              ["container", "Container", "removed once its last child is gone"],
            ] as const
          ).map(([v, label, help]) => (
            <label key={v} className={mode === v ? "radio on" : "radio"}>
              <input type="radio" name="mode" value={v} checked={mode === v} onChange={() => setMode(v)} />
              <span>
                <strong>{label}</strong>
                <span className="muted small">{help}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <span>Content</span>
        <Editor
          label="Initial content"
          value={text}
          format={format}
          onChange={setContent}
          {...(content === null && starter ? { cursorAt: starter.cursor } : {})}
          minHeight="120px"
          maxHeight="240px"
          errorLine={validation.ok ? null : validation.line}
        />
        <span
          className={validation.ok ? "validation ok small" : "validation bad small"}
          data-testid="create-validation"
        >
          {validation.ok ? `✓ Valid ${FORMAT_LABEL[format]}` : `✕ ${validation.message}`}
        </span>
      </div>
      <MessageField
        value={message}
        onChange={setMessage}
        label="Create message"
        placeholder="Why this node exists (recorded in history)"
      />
      <ReviewRequiredNote policy={policy} what="the new node" testId="create-policy" />
      {target && mode === "persistent" && (
        <AddToChange
          item={{ path: target, op: "create", content: text, baseVersion: -1 }}
          message={message}
          disabled={!!blocked}
          primary={policy.reviewed}
          onAdded={(change) => {
            onClose();
            router.push(`/changes/${change.id}`);
          }}
        />
      )}
    </FormDialog>
  );
}
