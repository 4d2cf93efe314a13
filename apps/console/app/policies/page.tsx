/** Publish policies per prefix (admins): direct, or review with N approvals. */
import { PoliciesView } from "../../components/releases/PoliciesView.tsx";

export default function Page() {
  return <PoliciesView />;
}
