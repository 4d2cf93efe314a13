/**
 * Catches render errors in a part of the page and shows a readable message with a retry,
 * so one broken panel never blanks the whole console.
 */
"use client";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { errorMessage } from "../lib/errors.ts";

interface Props {
  children: ReactNode;
  title?: string;
}
interface State {
  error: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error("console view failed", error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <div className="panel-error" role="alert">
          <strong>{this.props.title ?? "This view failed to render."}</strong>
          <p>{errorMessage(this.state.error)}</p>
          <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
