/** Compare two environments (prefixes) key by key and field by field, and promote between them. */
import { Suspense } from "react";
import { CompareView } from "../../components/environments/CompareView.tsx";

export default function Page() {
  return (
    <Suspense fallback={null}>
      <CompareView />
    </Suspense>
  );
}
