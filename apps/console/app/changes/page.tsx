/** Change requests: drafts, in review, approved, conflicted; the filters are in the URL (useSearchParams: Suspense). */
import { Suspense } from "react";
import { ChangesView } from "../../components/changes/ChangesView.tsx";

export default function Page() {
  return (
    <Suspense fallback={null}>
      <ChangesView />
    </Suspense>
  );
}
