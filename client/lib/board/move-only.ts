// A FLIP animation that only moves: Svelte's `flip` also scales an item whose size
// changed (a cluster that collapses or takes a card), which stretches its text while
// it runs.
import { cubicOut } from 'svelte/easing';
import type { AnimationConfig } from 'svelte/animate';

export function moveOnly(_node: Element, { from, to }: { from: DOMRect; to: DOMRect }, params: { duration: number }): AnimationConfig {
  const dx = from.left - to.left;
  const dy = from.top - to.top;
  return {
    duration: dx === 0 && dy === 0 ? 0 : params.duration,
    easing: cubicOut,
    css: (_t: number, u: number) => `transform: translate(${u * dx}px, ${u * dy}px)`,
  };
}
