/** Every write across the tree, filterable. */
import { AuditView } from "../../components/screens/AuditView.tsx";

export default function Page() {
  return <AuditView />;
}
