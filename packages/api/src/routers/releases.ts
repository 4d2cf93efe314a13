/**
 * Change requests, publish policies and releases (issue 14). Thin: validate, call
 * `ctx.conifer.releases`; the checks (propose, approve, publish, policy) are in the domain
 * functions, which ask the one authz module.
 */
import { CHANGE_STATUSES, type Caller } from "@conifer/core";
import { z } from "zod";
import type { Context } from "../context.ts";
import { zContent, zLimit, zMessage, zNoInput, zPathInput, zVersion } from "../inputs.ts";
import { protectedProcedure, router } from "../trpc.ts";

const zId = z.string().regex(/^\d{1,10}$/, "id must be a decimal string");
const zItem = z.strictObject({
  path: zPathInput,
  op: z.enum(["create", "update", "delete"]).optional(),
  content: zContent.optional(),
  baseVersion: zVersion.optional(),
});
const zItems = z.array(zItem).min(1).max(500);

const caller = (ctx: Context & { principal: NonNullable<Context["principal"]> }): Caller => ({
  principal: ctx.principal,
  actor: ctx.actor,
});

export const changesRouter = router({
  list: protectedProcedure
    .input(
      z
        .strictObject({
          statuses: z.array(z.enum(CHANGE_STATUSES)).max(8).optional(),
          author: z.string().max(200).optional(),
          reviewable: z.boolean().optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => ctx.conifer.releases.changes.list(caller(ctx), input ?? {})),
  openOn: protectedProcedure
    .input(z.strictObject({ paths: z.array(zPathInput).min(1).max(500) }))
    .query(({ ctx, input }) => ctx.conifer.releases.changes.openOn(caller(ctx), input.paths)),
  get: protectedProcedure
    .input(z.strictObject({ id: zId }))
    .query(({ ctx, input }) => ctx.conifer.releases.changes.view(caller(ctx), input.id)),
  create: protectedProcedure
    .input(z.strictObject({ title: z.string().max(200), message: z.string().max(10_000).optional(), items: zItems }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.changes.create(caller(ctx), input)),
  edit: protectedProcedure
    .input(z.strictObject({ id: zId, items: zItems }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.changes.edit(caller(ctx), input.id, input.items)),
  submit: protectedProcedure
    .input(z.strictObject({ id: zId }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.changes.submit(caller(ctx), input.id)),
  review: protectedProcedure
    .input(
      z.strictObject({
        id: zId,
        verdict: z.enum(["approve", "request_changes"]),
        comment: z.string().max(10_000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.conifer.releases.changes.review(caller(ctx), input.id, input)),
  withdraw: protectedProcedure
    .input(z.strictObject({ id: zId }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.changes.withdraw(caller(ctx), input.id)),
  comment: protectedProcedure
    .input(z.strictObject({ id: zId, body: z.string().max(10_000) }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.changes.comment(caller(ctx), input.id, input.body)),
  publish: protectedProcedure
    .input(z.strictObject({ id: zId }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.publish(caller(ctx), input.id)),
  /** `at`: epoch milliseconds, in the future */
  schedule: protectedProcedure
    .input(z.strictObject({ id: zId, at: z.number().int().positive() }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.schedule(caller(ctx), input.id, input.at)),
  unschedule: protectedProcedure
    .input(z.strictObject({ id: zId }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.unschedule(caller(ctx), input.id)),
});

export const releasesRouter = router({
  list: protectedProcedure
    .input(
      z
        .strictObject({
          under: zPathInput.optional(),
          status: z.enum(["pending", "published", "failed"]).optional(),
          limit: zLimit,
        })
        .optional(),
    )
    .query(({ ctx, input }) => ctx.conifer.releases.list(caller(ctx), input ?? {})),
  get: protectedProcedure
    .input(z.strictObject({ id: zId }))
    .query(({ ctx, input }) => ctx.conifer.releases.get(caller(ctx), input.id)),
  rollback: protectedProcedure
    .input(z.strictObject({ id: zId, message: zMessage }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.rollback(caller(ctx), input.id, input.message)),
  policies: protectedProcedure.input(zNoInput).query(({ ctx }) => {
    ctx.allow("read", "/");
    return ctx.conifer.releases.policies.list();
  }),
  policyOf: protectedProcedure.input(z.strictObject({ path: zPathInput })).query(({ ctx, input }) => {
    ctx.allow("read", input.path);
    return ctx.conifer.releases.policies.effective(input.path);
  }),
  setPolicy: protectedProcedure
    .input(
      z.strictObject({
        prefix: zPathInput,
        mode: z.enum(["direct", "review"]),
        approvalsRequired: z.number().int().min(0).max(20).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.conifer.releases.policies.set(caller(ctx), input)),
  removePolicy: protectedProcedure
    .input(z.strictObject({ prefix: zPathInput }))
    .mutation(({ ctx, input }) => ctx.conifer.releases.policies.remove(caller(ctx), input.prefix)),
});
