// Checks on untrusted update bytes, made before any of them touches a live document.
import * as Y from 'yjs';

/** What an update deletes, as Yjs decodes it (Yjs does not export the class's type). */
export type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** Decodes the whole update; throws on garbage or truncation, changing nothing. Returns what it deletes. */
export function assertDecodableUpdate(update: Uint8Array): DeleteSet {
  return Y.decodeUpdate(update).ds;
}

/**
 * What a writer's update deletes, decoded before it is applied (the large-removal check
 * needs it then), or null without decoding when it names no deletion. An update ends with
 * its delete set, whose last number is the last range's length; a stock Yjs encoder writes
 * numbers as canonical varints, so its update ends in a 0 byte exactly when the delete set
 * is empty (a typing update). Crafted bytes that end in 0 yet delete are applied without
 * the removal check, which a hostile writer could get round anyway (one card per update);
 * whatever they are, applying them is as safe as after a full decode (docs/ARCHITECTURE.md,
 * "One decode per update").
 */
export function deletesBeforeApplying(update: Uint8Array): DeleteSet | null {
  if (update.length > 0 && update[update.length - 1] === 0) return null;
  return assertDecodableUpdate(update);
}

/**
 * True when applying `update` to `doc` would change nothing: every struct is
 * already known and every deletion already done. Lets a read-only client's
 * sync step 2 through silently when it only repeats what the server has.
 */
export function updateAddsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return false;
  }
  if (ds.clients.size === 0) return true;
  const known = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    const have = known.clients.get(client) ?? [];
    for (const r of ranges) if (r.len > 0 && !rangeCovered(have, r.clock, r.len)) return false;
  }
  return true;
}

/** Whether sorted ranges cover [clock, clock + len) entirely. */
export function rangeCovered(ranges: ReadonlyArray<{ clock: number; len: number }>, clock: number, len: number): boolean {
  let at = clock;
  const end = clock + len;
  for (const r of ranges) {
    if (r.clock > at) break;
    if (r.clock + r.len > at) at = r.clock + r.len;
    if (at >= end) return true;
  }
  return at >= end;
}
