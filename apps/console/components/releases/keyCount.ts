/**
 * How many keys a release changed: the empty parents it created (or a rollback removed) are
 * items of the release, so that its rollback can undo them, but they are not keys anyone edited.
 */
export function keyCount(release: { items: readonly { parent?: boolean }[] }): number {
  return release.items.filter((i) => !i.parent).length;
}
