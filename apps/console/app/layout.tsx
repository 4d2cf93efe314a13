/** Root layout: global stylesheet, client providers, the top bar shell. */
// first, so that the component stylesheets imported below come after it and can build on it
import "./globals.css";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "../components/Providers.tsx";
import { Shell } from "../components/Shell.tsx";

export const metadata: Metadata = {
  title: "Conifer",
  description: "Dynamic configuration center",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Shell>{children}</Shell>
        </Providers>
      </body>
    </html>
  );
}
