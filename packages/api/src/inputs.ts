/** Input schemas shared by several routers (paths and pagination). */
import { z } from "zod";

/** Path shape only; the domain layer gives the precise reason a path is refused. */
export const zPathInput = z.string().max(4096);
export const zLimit = z.number().int().min(1).max(500).optional();
export const zCursor = z.string().max(200).nullish();
export const zMessage = z.string().max(2000).optional();
export const zVersion = z.number().int().min(-1);
export const zContent = z.string().max(16 * 1024 * 1024);
/** Procedures without parameters still refuse a body that carries any. */
export const zNoInput = z.union([z.undefined(), z.null(), z.strictObject({})]);
/** What tRPC's infinite queries add to the input of paginated procedures. */
export const zDirection = z.enum(["forward", "backward"]).optional();
