/**
 * The frame around every screen: brand, navigation (admin screens only for admins), backend
 * status (pill, and a banner while writes cannot succeed) and the signed-in user. The sign-in
 * page gets no frame.
 */
"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useCan } from "../lib/me.ts";
import { BackendBanner } from "./BackendBanner.tsx";
import { BackendStatus } from "./BackendStatus.tsx";
import { ErrorBoundary } from "./ErrorBoundary.tsx";
import { ReviewCount } from "./changes/ReviewCount.tsx";
import { UserMenu } from "./UserMenu.tsx";
import "./Shell.css";

const NAV = [
  { href: "/nodes", label: "Config" },
  { href: "/changes", label: "Changes" },
  { href: "/instances", label: "Instances" },
  { href: "/releases", label: "Releases" },
  { href: "/compare", label: "Compare" },
  { href: "/cluster", label: "Cluster" },
  { href: "/audit", label: "Audit log", admin: true },
  { href: "/users", label: "Users", admin: true },
  { href: "/tokens", label: "API tokens", admin: true },
  { href: "/policies", label: "Policies", admin: true },
];

export function Shell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  if (pathname === "/login") return <main className="content">{children}</main>;
  return <Framed pathname={pathname}>{children}</Framed>;
}

function Framed({ pathname, children }: { pathname: string; children: ReactNode }) {
  const isAdmin = useCan("admin");
  const links = NAV.filter((n) => !n.admin || isAdmin);
  return (
    <div className="shell">
      <SkipLink pathname={pathname} />
      <header className="topbar">
        <Link href="/nodes" className="brand" aria-label="Conifer home">
          <Logo />
          <span>Conifer</span>
        </Link>
        <nav className="topnav" aria-label="Main">
          <NavLinks links={links} pathname={pathname} />
        </nav>
        <NavMenu links={links} pathname={pathname} />
        <div className="topbar-right">
          <BackendStatus />
          <UserMenu />
        </div>
      </header>
      <BackendBanner />
      <main className="content" id="main" tabIndex={-1}>
        <ErrorBoundary>{children}</ErrorBoundary>
      </main>
    </div>
  );
}

/**
 * The first thing Tab reaches: straight into the config editor on a node's page (past the
 * navigation and the whole tree), or to the screen's content elsewhere. Hidden until focused.
 */
function SkipLink({ pathname }: { pathname: string }) {
  const onNode = pathname === "/nodes" || pathname.startsWith("/nodes/");
  return (
    <a
      href="#main"
      className="skip-link"
      data-testid="skip-link"
      onClick={(e) => {
        const editor = document.querySelector<HTMLElement>('[data-testid="editor"] .cm-content');
        const target = (onNode && editor) || document.getElementById("main");
        if (!target) return;
        e.preventDefault();
        target.focus();
      }}
    >
      {onNode ? "Skip to editor" : "Skip to content"}
    </a>
  );
}

type NavItem = (typeof NAV)[number];

function NavLinks({ links, pathname, onPick }: { links: NavItem[]; pathname: string; onPick?: () => void }) {
  return links.map((n) => {
    const active = pathname === n.href || pathname.startsWith(n.href + "/");
    return (
      <Link
        key={n.href}
        href={n.href}
        className={active ? "active" : undefined}
        aria-current={active ? "page" : undefined}
        onClick={onPick}
      >
        {n.label}
        {n.href === "/changes" && <ReviewCount />}
      </Link>
    );
  });
}

/**
 * On phones the links do not fit beside the brand and the user (a sideways-scrolling nav hid the
 * admin screens), so there they sit in a menu instead; CSS shows one or the other by width.
 */
function NavMenu({ links, pathname }: { links: NavItem[]; pathname: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (e.target instanceof Node && !ref.current?.contains(e.target)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  const current = links.find((n) => pathname === n.href || pathname.startsWith(n.href + "/"));
  return (
    <div className="navmenu" ref={ref}>
      <button
        type="button"
        className="navmenu-btn"
        aria-expanded={open}
        aria-controls="navmenu-list"
        data-testid="nav-menu"
        onClick={() => setOpen(!open)}
      >
        {current?.label ?? "Menu"} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <nav id="navmenu-list" className="navmenu-list" aria-label="Main menu">
          <NavLinks links={links} pathname={pathname} onPick={() => setOpen(false)} />
        </nav>
      )}
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
