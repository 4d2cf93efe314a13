/** The title block of a full-page screen: heading, one line saying what it is for, and optional controls on the right. */
import type { ReactNode } from "react";
import "./PageHeader.css";

export function PageHeader({
  title,
  description,
  children,
}: {
  title: string;
  description: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        <p className="muted">{description}</p>
      </div>
      {children}
    </div>
  );
}
