/** Top-bar pill: is the server reachable, and is the coordination backend writable. */
"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLinkState } from "../lib/live.ts";
import { useTRPC } from "../lib/trpc.ts";
import "./BackendStatus.css";

export function BackendStatus() {
  const trpc = useTRPC();
  const link = useLinkState();
  const info = useQuery({ ...trpc.cluster.info.queryOptions(), refetchInterval: 15_000 });
  let tone: "ok" | "warn" | "bad" | "idle" = "idle";
  let text = "Connecting…";
  let title = "Connecting to the Conifer server";
  const kind = info.data?.kind;
  if (link.status === "disconnected") {
    tone = "bad";
    text = "Offline";
    title = link.message;
  } else if (link.status === "connected") {
    if (!link.writable) {
      tone = "warn";
      text = "Read-only";
      title = link.message ?? "The coordination backend does not accept writes right now";
    } else {
      tone = "ok";
      text = kind ? kind : "Connected";
      title = info.data?.description ?? "Connected; live updates on";
    }
  }
  return (
    <Link href="/cluster" className={`status-pill status-${tone}`} title={title} data-testid="backend-status">
      <span className="dot" aria-hidden="true" />
      <span className="status-text">{text}</span>
    </Link>
  );
}
