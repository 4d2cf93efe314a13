/** Every release (one publish of one or several keys) under a prefix, newest first. */
import { Suspense } from "react";
import { ReleasesView } from "../../components/releases/ReleasesView.tsx";

export default function Page() {
  return (
    <Suspense fallback={null}>
      <ReleasesView />
    </Suspense>
  );
}
