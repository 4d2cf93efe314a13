// The one ESLint config of the repo: typescript-eslint's strict, type-checked rules over every
// TypeScript source the root tsconfig type-checks (packages, apps incl. the console, bench,
// examples, tooling). Options below only widen what a rule accepts where the wider form is
// still unambiguous; no rule of the strict set is switched off for product code.
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
      "prisma/**",
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
    rules: {
      // numbers and booleans print unambiguously in a template; objects and nullish values do not
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `() => void doSomething()` style arrows are how event handlers are written here
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
    },
  },
  {
    // Test code: a `!` that is wrong throws at once, which is the test failing as it should.
    files: ["**/*.test.ts", "**/*.test.tsx", "**/test/**/*.ts", "**/src/testing/**/*.ts", "**/src/contract/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
