// The one Prettier config of the repo (referenced from the root package.json). The width is the
// one the code was written to before Prettier arrived, so formatting did not re-wrap every file.
export default {
  printWidth: 120,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  arrowParens: "always",
};
