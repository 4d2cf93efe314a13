/** The config workspace: the tree pane stays mounted while the selected node changes. */
import type { ReactNode } from "react";
import { Workspace } from "../../components/tree/Workspace.tsx";

export default function NodesLayout({ children }: { children: ReactNode }) {
  return <Workspace>{children}</Workspace>;
}
