/** Change requests: drafts, in review, approved, conflicted. */
import { ChangesView } from "../../components/changes/ChangesView.tsx";

export default function Page() {
  return <ChangesView />;
}
