/**
 * CodeMirror 6 with the node's language (JSON / YAML / properties / TOML / plain text) and the
 * current validation error's line highlighted. Loaded only in the browser (see Editor.tsx).
 */
"use client";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { StreamLanguage } from "@codemirror/language";
import { properties } from "@codemirror/legacy-modes/mode/properties";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import CodeMirror, {
  Decoration,
  EditorView,
  Transaction,
  type Extension,
  type ReactCodeMirrorRef,
} from "@uiw/react-codemirror";
import { useEffect, useMemo, useRef } from "react";
import type { Format } from "@conifer/formats";

export interface CodeEditorProps {
  value: string;
  format: Format;
  onChange?: (value: string) => void;
  readOnly?: boolean;
  errorLine?: number | null;
  minHeight?: string;
  maxHeight?: string;
  label: string;
  /**
   * Where the cursor sits (an offset into `value`) whenever `value` is set to this text from
   * outside, e.g. inside a starter template's braces rather than after them.
   */
  cursorAt?: number;
}

function language(format: Format): Extension[] {
  switch (format) {
    case "json":
      return [json()];
    case "yaml":
      return [yaml()];
    case "properties":
      return [StreamLanguage.define(properties)];
    case "toml":
      return [StreamLanguage.define(toml)];
    default:
      return [];
  }
}

const theme = EditorView.theme({
  "&": { fontSize: "13px", backgroundColor: "var(--editor-bg)" },
  ".cm-content": { fontFamily: "var(--mono)", padding: "8px 0" },
  ".cm-gutters": {
    backgroundColor: "var(--editor-gutter)",
    borderRight: "1px solid var(--border)",
    color: "var(--fg-faint)",
  },
  ".cm-activeLine": { backgroundColor: "var(--editor-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active)" },
  ".cm-error-line": { backgroundColor: "var(--error-bg)", boxShadow: "inset 3px 0 0 var(--error)" },
  "&.cm-focused": { outline: "none" },
});

function errorLineHighlight(line: number | null | undefined): Extension[] {
  if (!line || line < 1) return [];
  return [
    EditorView.decorations.of((view) => {
      const n = Math.min(line, view.state.doc.lines);
      return Decoration.set([Decoration.line({ class: "cm-error-line" }).range(view.state.doc.line(n).from)]);
    }),
  ];
}

/** Puts the cursor where it is wanted, once the editor holds exactly the wanted text. */
function cursorPlacer(wanted: { current: { value: string; cursorAt: number | undefined } }) {
  return (view: EditorView) => {
    const { value, cursorAt } = wanted.current;
    if (cursorAt === undefined || view.state.doc.toString() !== value) return;
    const anchor = Math.min(cursorAt, value.length);
    if (view.state.selection.main.head !== anchor) view.dispatch({ selection: { anchor } });
  };
}

export default function CodeEditor({
  value,
  format,
  onChange,
  readOnly,
  errorLine,
  minHeight,
  maxHeight,
  label,
  cursorAt,
}: CodeEditorProps) {
  const ref = useRef<ReactCodeMirrorRef>(null);
  // the latest wish, read by the listener below (it is created once, with the editor)
  const wanted = useRef({ value, cursorAt });
  wanted.current = { value, cursorAt };
  const placeCursor = useMemo(() => cursorPlacer(wanted), []);
  useEffect(() => {
    const view = ref.current?.view;
    if (view) placeCursor(view);
  }, [value, cursorAt, placeCursor]);
  const extensions = useMemo(
    () => [
      ...language(format),
      theme,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": label }),
      ...errorLineHighlight(errorLine),
      // the text set from outside (not typed) may land after the effect above ran: place it then
      EditorView.updateListener.of((u) => {
        if (!u.docChanged || u.transactions.some((t) => t.annotation(Transaction.userEvent) !== undefined)) return;
        queueMicrotask(() => placeCursor(u.view));
      }),
      // focusing the content (Tab, a click on its padding) may read the browser's caret at the
      // start; while the text is still the untouched template, put the cursor back where wanted
      EditorView.domEventHandlers({
        focus: (_event, view) => {
          queueMicrotask(() => placeCursor(view));
          return false;
        },
      }),
    ],
    [format, errorLine, label, placeCursor],
  );
  return (
    <CodeMirror
      ref={ref}
      value={value}
      onChange={onChange}
      readOnly={readOnly ?? false}
      editable={!readOnly}
      extensions={extensions}
      basicSetup={{ foldGutter: true, highlightActiveLine: !readOnly, autocompletion: false, searchKeymap: true }}
      minHeight={minHeight ?? "240px"}
      maxHeight={maxHeight}
      theme="light"
      className="code-editor"
      onCreateEditor={placeCursor}
    />
  );
}
