/**
 * How a promote goes: which way (the source is where the ticked keys and fields are read, the
 * target gets the change request) and whether fields the target already sets keep its value
 * (per-environment overrides such as prod's pool size). A direction the user may not propose
 * into is shown but cannot be chosen.
 */
"use client";
import { CheckField } from "../FormFields.tsx";
import type { Direction } from "./types.ts";

export function PromoteOptions({
  left,
  right,
  direction,
  allowed,
  keepOverrides,
  onDirection,
  onKeepOverrides,
}: {
  left: string;
  right: string;
  direction: Direction;
  allowed: Record<Direction, boolean>;
  keepOverrides: boolean;
  onDirection: (d: Direction) => void;
  onKeepOverrides: (keep: boolean) => void;
}) {
  const options: { value: Direction; from: string; to: string }[] = [
    { value: "left-to-right", from: left, to: right },
    { value: "right-to-left", from: right, to: left },
  ];
  return (
    <fieldset className="card compare-options" data-testid="compare-options">
      <legend className="compare-options-title">Promote</legend>
      <div className="compare-direction" role="radiogroup" aria-label="Direction">
        {options.map((o) => (
          <label key={o.value} className={direction === o.value ? "radio on" : "radio"}>
            <input
              type="radio"
              name="compare-direction"
              checked={direction === o.value}
              disabled={!allowed[o.value]}
              onChange={() => onDirection(o.value)}
              aria-label={`Promote ${o.from} → ${o.to}`}
            />
            <span className="mono">
              {o.from} → {o.to}
            </span>
          </label>
        ))}
      </div>
      <CheckField checked={keepOverrides} onChecked={onKeepOverrides} testId="compare-keep-overrides">
        Keep the fields the target overrides (only add the fields it lacks)
      </CheckField>
    </fieldset>
  );
}
