/**
 * Config formats, chosen by the file-name suffix of a znode path (the API contract's rule):
 * .json, .yaml/.yml, .properties, .toml; anything else is plain text.
 */

export const FORMATS = ["json", "yaml", "properties", "toml", "text"] as const;
export type Format = (typeof FORMATS)[number];

const BY_SUFFIX: ReadonlyArray<readonly [string, Format]> = [
  [".json", "json"],
  [".yaml", "yaml"],
  [".yml", "yaml"],
  [".properties", "properties"],
  [".toml", "toml"],
];

/** The format of a path by its last segment's suffix (case-insensitive: "APP.JSON" is JSON). */
export function formatOf(path: string): Format {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  for (const [suffix, format] of BY_SUFFIX) if (name.endsWith(suffix)) return format;
  return "text";
}

/** Display name used in messages ("Invalid JSON at line 3, column 7: …"). */
export const FORMAT_LABEL: Record<Format, string> = {
  json: "JSON",
  yaml: "YAML",
  properties: ".properties",
  toml: "TOML",
  text: "text",
};
