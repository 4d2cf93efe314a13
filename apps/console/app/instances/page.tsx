/** Connected SDK instances and how far behind each applied config is. */
import { InstancesView } from "../../components/screens/InstancesView.tsx";

export default function Page() {
  return <InstancesView />;
}
