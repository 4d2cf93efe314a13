/** Connected SDK instances and how far behind each applied config is; the filter is in the URL (useSearchParams: Suspense). */
import { Suspense } from "react";
import { InstancesView } from "../../components/screens/InstancesView.tsx";

export default function Page() {
  return (
    <Suspense fallback={null}>
      <InstancesView />
    </Suspense>
  );
}
