/** Shapes of `environments.compare`, inferred from the router (never redeclared). */
import type { RouterOutputs } from "../../lib/types.ts";

export type Comparison = RouterOutputs["environments"]["compare"];
export type OneSideKey = Comparison["onlyLeft"][number];
export type DifferingKeyData = Comparison["differing"][number];
/** a key's field-by-field difference (JSON, YAML, TOML, .properties that parse on both sides) */
export type FieldsDiff = Extract<NonNullable<DifferingKeyData["diff"]>, { kind: "fields" }>;
/** which prefix receives the promote */
export type Direction = "left-to-right" | "right-to-left";
