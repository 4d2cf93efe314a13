/**
 * `conifer edit <path>`: the content in a temp file (named like the key, so the editor picks the
 * right syntax), $EDITOR on it, a unified diff of the change, a y/N question on a terminal, then a
 * write conditioned on the version that was read: someone else's publish in the meantime is a
 * conflict (exit 4), never silently overwritten. The server validates the content; its answer
 * (with line and column) is the error shown.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline/promises";
import { diffText } from "@conifer/formats";
import type { Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { getKey, putContent } from "./keys.ts";

export interface EditOptions {
  yes?: boolean;
  message?: string;
}

/** Runs the editor as git does: through the shell, so EDITOR may carry its own arguments. */
function runEditor(editor: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", `${editor} "$@"`, editor, file], { stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, sig) =>
      code === 0 ? resolve() : reject(new CliError(`the editor (${editor}) exited with ${sig ?? code}`)),
    );
  });
}

async function confirm(ctx: Context, question: string): Promise<boolean> {
  const rl = createInterface({ input: ctx.io.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function edit(ctx: Context, path: string, opts: EditOptions): Promise<void> {
  const key = await getKey(ctx, path);
  const dir = await mkdtemp(join(tmpdir(), "conifer-edit-"));
  try {
    const file = join(dir, basename(path) || "content");
    await writeFile(file, key.content, { mode: 0o600 });
    await runEditor(ctx.env.editor, file);
    const edited = await readFile(file, "utf8");
    if (edited === key.content) {
      ctx.io.stderr.write(`${path}: no change\n`);
      return;
    }
    const d = diffText(key.content, edited, { oldLabel: `${path} v${key.version}`, newLabel: `${path} (edited)` });
    ctx.io.stderr.write(d.unified);
    if (!opts.yes) {
      if (!ctx.io.stdin.isTTY) throw new CliError("not a terminal: give --yes to publish without asking");
      if (!(await confirm(ctx, `publish ${path}? [y/N] `))) {
        ctx.io.stderr.write("not published\n");
        return;
      }
    }
    await putContent(ctx, path, edited, {
      expectVersion: String(key.version),
      ...(opts.message ? { message: opts.message } : {}),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
