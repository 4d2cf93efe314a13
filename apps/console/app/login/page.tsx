/** The sign-in page (the only screen shown without a session). */
import { Suspense } from "react";
import { LoginView } from "../../components/screens/LoginView.tsx";

export default function Page() {
  return (
    <Suspense>
      <LoginView />
    </Suspense>
  );
}
