/** `/changes/<id>`: one change request, its combined diff, comments and actions. */
"use client";
import { useParams } from "next/navigation";
import { ChangePage } from "../../../components/changes/ChangePage.tsx";

export default function Page() {
  const params = useParams<{ id: string }>();
  return <ChangePage key={params.id} id={params.id} />;
}
