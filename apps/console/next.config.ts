/**
 * Next.js config for the Conifer console. The console is served by the Conifer server process
 * (apps/server hosts Next in-process), so everything is same-origin: tRPC at /trpc, socket.io
 * at /socket.io. Workspace packages ship TypeScript source with `.ts` import extensions, so
 * they are transpiled here rather than prebuilt.
 */
import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@conifer/coordinator", "@conifer/formats", "@conifer/protocol", "@conifer/shared"],
  // the console is a client-side app over tRPC; type errors are caught by the repo's tsc run
  typescript: { ignoreBuildErrors: false },
  devIndicators: false,
};

export default config;
