/** `/releases/<id>`: one release, every key's diff, and its rollback. */
"use client";
import { useParams } from "next/navigation";
import { ReleaseView } from "../../../components/releases/ReleaseView.tsx";

export default function Page() {
  const { id } = useParams<{ id: string }>();
  return <ReleaseView key={id} id={id} />;
}
