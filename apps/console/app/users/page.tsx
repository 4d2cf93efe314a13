/** Users and their roles per path (admins). */
import { UsersView } from "../../components/screens/UsersView.tsx";

export default function Page() {
  return <UsersView />;
}
