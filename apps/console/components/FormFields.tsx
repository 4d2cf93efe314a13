/**
 * The console's forms: `Form` (submitting never reloads the page), their inputs and the state
 * behind them. `useForm` holds a form's values and `field(key)` binds one of them to a
 * `TextInput` or `SelectInput`, so a form lists its fields and not, for each, the same
 * value / onChange wiring.
 */
"use client";
import { useState, type InputHTMLAttributes, type ReactNode } from "react";

export function Form({
  className,
  testId,
  label,
  onSubmit,
  children,
}: {
  className?: string;
  testId?: string;
  /** the form's accessible name */
  label?: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className={className}
      data-testid={testId}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

export interface Bound<V> {
  value: V;
  onValue: (v: V) => void;
}

export function useForm<T extends object>(initial: T) {
  const [values, setValues] = useState(initial);
  return {
    values,
    setValues,
    field: <K extends keyof T>(key: K): Bound<T[K]> => ({
      value: values[key],
      onValue: (v) => setValues((prev) => ({ ...prev, [key]: v })),
    }),
  };
}

type NativeInput = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "aria-label">;

/** A text (or password, number) input; `label` is its accessible name. */
export function TextInput({
  label,
  value,
  onValue,
  className,
  ...rest
}: Bound<string> & NativeInput & { label: string }) {
  return (
    <input
      {...rest}
      className={className ? `input ${className}` : "input"}
      aria-label={label}
      value={value}
      onChange={(e) => onValue(e.target.value)}
    />
  );
}

/** A select over a fixed list of values; the value handed back is always one of them. */
export function SelectInput<V extends string>({
  label,
  options,
  value,
  onValue,
  small,
}: Bound<V> & { label: string; options: readonly (V | { value: V; label: string })[]; small?: boolean }) {
  const items = options.map((o) => (typeof o === "string" ? { value: o, label: o } : o));
  return (
    <select
      className={small ? "input input-small" : "input"}
      aria-label={label}
      value={value}
      onChange={(e) => onValue(items.find((o) => o.value === e.target.value)?.value ?? value)}
    >
      {items.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** A checkbox with its label beside it: the console's accent `.checkbox` inside a `.check` label. */
export function CheckField({
  checked,
  onChecked,
  testId,
  children,
}: {
  checked: boolean;
  onChecked: (checked: boolean) => void;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        className="checkbox"
        checked={checked}
        onChange={(e) => onChecked(e.target.checked)}
        data-testid={testId}
      />
      {children}
    </label>
  );
}
