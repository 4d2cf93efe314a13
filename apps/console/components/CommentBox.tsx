/**
 * The one-line text box of the change workflow: a review comment, a comment, a change's title,
 * a publish message. One component so they all bound, label and style their text alike.
 */
"use client";

export function CommentBox({
  label,
  placeholder,
  value,
  onChange,
  maxLength = 10_000,
  autoFocus,
  onEnter,
}: {
  /** the accessible name (there is no visible label beside these boxes) */
  label: string;
  placeholder: string;
  value: string;
  onChange: (v: string) => void;
  maxLength?: number;
  autoFocus?: boolean;
  /**
   * Enter acts here instead of submitting the form around the box: inside the create and delete
   * dialogs that form's submit is the direct (live) action, not what the box belongs to.
   */
  onEnter?: () => void;
}) {
  return (
    <input
      className="input"
      aria-label={label}
      placeholder={placeholder}
      value={value}
      maxLength={maxLength}
      onChange={(e) => onChange(e.target.value)}
      autoFocus={autoFocus}
      onKeyDown={
        onEnter
          ? (e) => {
              if (e.key !== "Enter" || e.nativeEvent.isComposing) return;
              e.preventDefault();
              onEnter();
            }
          : undefined
      }
    />
  );
}
