/** The code editor, loaded client-side only (CodeMirror needs the DOM). */
"use client";
import dynamic from "next/dynamic";
import type { CodeEditorProps } from "./CodeEditor.tsx";
import "./node.css";

const CodeEditor = dynamic(() => import("./CodeEditor.tsx"), {
  ssr: false,
  loading: () => <div className="editor-loading">Loading editor…</div>,
});

export function Editor(props: CodeEditorProps) {
  return (
    <div className="editor-frame" data-testid="editor">
      <CodeEditor {...props} />
    </div>
  );
}
