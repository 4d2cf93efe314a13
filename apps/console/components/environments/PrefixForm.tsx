/**
 * The two prefixes of a comparison. They are typed into the form and applied to the URL on
 * "Compare" (one history entry per comparison, not per keystroke); "back" to another comparison
 * puts its prefixes back into the boxes. Swap applies at once: it is a comparison of its own.
 */
"use client";
import { useEffect, useState } from "react";
import { normalizePrefix } from "./prefix.ts";

export function PrefixForm({
  left,
  right,
  onCompare,
}: {
  left: string;
  right: string;
  onCompare: (left: string, right: string) => void;
}) {
  const [l, setL] = useState(left);
  const [r, setR] = useState(right);
  useEffect(() => {
    setL(left);
    setR(right);
  }, [left, right]);
  return (
    <form
      className="card compare-form"
      aria-label="Prefixes to compare"
      onSubmit={(e) => {
        e.preventDefault();
        onCompare(normalizePrefix(l), normalizePrefix(r));
      }}
    >
      <PrefixBox side="Left" placeholder="/payments/staging" value={l} onChange={setL} />
      <button
        type="button"
        className="btn btn-ghost compare-swap"
        aria-label="Swap left and right"
        title="Swap left and right"
        data-testid="compare-swap"
        onClick={() => {
          setL(r);
          setR(l);
          if (r.trim() && l.trim()) onCompare(normalizePrefix(r), normalizePrefix(l));
        }}
      >
        ⇄
      </button>
      <PrefixBox side="Right" placeholder="/payments/prod" value={r} onChange={setR} />
      <button type="submit" className="btn btn-primary" data-testid="compare-submit" disabled={!l.trim() || !r.trim()}>
        Compare
      </button>
    </form>
  );
}

function PrefixBox({
  side,
  placeholder,
  value,
  onChange,
}: {
  side: "Left" | "Right";
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="compare-prefix">
      <span>{side}</span>
      <input
        className="input mono"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={`compare-${side.toLowerCase()}`}
      />
    </label>
  );
}
