/**
 * The frame around every screen: brand, navigation (admin screens only for admins), backend
 * status (pill, and a banner while writes cannot succeed) and the signed-in user. The sign-in
 * page gets no frame.
 */
"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useCan } from "../lib/me.ts";
import { BackendBanner } from "./BackendBanner.tsx";
import { BackendStatus } from "./BackendStatus.tsx";
import { ErrorBoundary } from "./ErrorBoundary.tsx";
import { UserMenu } from "./UserMenu.tsx";
import "./Shell.css";

const NAV = [
  { href: "/nodes", label: "Config" },
  { href: "/instances", label: "Instances" },
  { href: "/cluster", label: "Cluster" },
  { href: "/audit", label: "Audit log", admin: true },
  { href: "/users", label: "Users", admin: true },
  { href: "/tokens", label: "API tokens", admin: true },
];

export function Shell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  if (pathname === "/login") return <main className="content">{children}</main>;
  return <Framed pathname={pathname}>{children}</Framed>;
}

function Framed({ pathname, children }: { pathname: string; children: ReactNode }) {
  const isAdmin = useCan("admin");
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/nodes" className="brand" aria-label="Conifer home">
          <Logo />
          <span>Conifer</span>
        </Link>
        <nav className="topnav" aria-label="Main">
          {NAV.filter((n) => !n.admin || isAdmin).map((n) => {
            const active = pathname === n.href || pathname.startsWith(n.href + "/");
            return (
              <Link
                key={n.href}
                href={n.href}
                className={active ? "active" : undefined}
                aria-current={active ? "page" : undefined}
              >
                {n.label}
              </Link>
            );
          })}
        </nav>
        <div className="topbar-right">
          <BackendStatus />
          <UserMenu />
        </div>
      </header>
      <BackendBanner />
      <main className="content">
        <ErrorBoundary>{children}</ErrorBoundary>
      </main>
    </div>
  );
}

function Logo() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 2 5 11h4l-5 6h6v5h4v-5h6l-5-6h4z" fill="currentColor" />
    </svg>
  );
}
