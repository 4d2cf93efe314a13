// The one ESLint config of the repo: typescript-eslint's strict, type-checked rules over every
// TypeScript source the root tsconfig type-checks (packages, apps, bench, examples, tooling).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/generated/**",
      "**/.next/**",
      "**/next-env.d.ts",
      "**/*.mjs",
      "**/*.js",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: new URL("..", import.meta.url).pathname,
      },
    },
  },
);
