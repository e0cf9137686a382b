// Notifications from outside Svelte — an editor's events, a Y.Doc's or awareness's
// observers — can arrive while Svelte is updating the page: removing a focused editor
// from the page (a `{#key}` or `{#if}` re-rendering, as when the board gets locked while
// someone types) fires its `blur` at once, inside that block's update. Marking reactive
// state dirty there throws `state_unsafe_mutation` unless it is done untracked, which
// changes nothing else: whatever reads the state re-runs as usual.
import { untrack } from 'svelte';

export function fromOutside<A extends unknown[]>(notify: () => void): (...args: A) => void {
  return () => untrack(notify);
}
