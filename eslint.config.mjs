// ESLint looks for its config here; the config itself lives in tooling/.
export { default } from "./tooling/eslint.config.mjs";
