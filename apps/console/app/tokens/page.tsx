/** API tokens for SDKs and scripts (admins). */
import { TokensView } from "../../components/screens/TokensView.tsx";

export default function Page() {
  return <TokensView />;
}
