/** Every write across the tree, filterable; the filters are in the URL (useSearchParams: Suspense). */
import { Suspense } from "react";
import { AuditView } from "../../components/screens/AuditView.tsx";

export default function Page() {
  return (
    <Suspense fallback={null}>
      <AuditView />
    </Suspense>
  );
}
