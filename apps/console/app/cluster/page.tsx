/** The coordination backend in use and its members. */
import { ClusterView } from "../../components/screens/ClusterView.tsx";

export default function Page() {
  return <ClusterView />;
}
