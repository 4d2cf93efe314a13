/** `/nodes/<znode path>`: the node view for that path (`/nodes?path=/x` redirects here). */
"use client";
import { useParams, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { NodeView } from "../../../components/node/NodeView.tsx";
import { nodeHref, pathFromSegments } from "../../../lib/paths.ts";

function NodePage() {
  const params = useParams<{ path?: string[] }>();
  const search = useSearchParams();
  const router = useRouter();
  const queryPath = search.get("path");
  useEffect(() => {
    if (queryPath) router.replace(nodeHref(queryPath.startsWith("/") ? queryPath : "/" + queryPath));
  }, [queryPath, router]);
  if (queryPath) return null;
  const path = pathFromSegments(params.path);
  return <NodeView key={path} path={path} />;
}

// no Suspense boundary around it, although it reads useSearchParams: the route is rendered per
// request, and a boundary hydrated apart from the layout broke hydration when the landing
// redirect reached it before it had hydrated (React #418 on a slow CPU; hydration.e2e)
export default function Page() {
  return <NodePage />;
}
