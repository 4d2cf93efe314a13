/** Types for ensure-build.mjs (a plain script so `npm start` / `npm test` can run it with node). */
export declare const consoleDir: string;
export declare function consoleBuildState(): { fresh: boolean; reason: string };
export declare function ensureConsoleBuilt(options?: { quiet?: boolean }): Promise<{ built: boolean }>;
