/** `/` opens the config tree. */
import { redirect } from "next/navigation";

export default function Home() {
  redirect("/nodes");
}
