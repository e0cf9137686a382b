// The projector's board is longer than the screen: nobody is there to scroll it, so it
// pages itself — a screenful at a time, a pause on each, back to the top after the last.
// Jumps, not glides, when the room's screen asks for reduced motion.
import type { Attachment } from 'svelte/attachments';

export interface AutoPageOptions {
  /** How long each screenful stays. */
  holdMs: number;
  /** Told the current page and the page count (1-based), for an indicator. */
  onpage?: (page: number, pages: number) => void;
}

/** Pages `count` screens of `viewport` px in `total` px: the scroll top of each page, overlapping a little. */
export function pageTops(total: number, viewport: number, overlap = 0.1): number[] {
  if (viewport <= 0 || total <= viewport + 1) return [0];
  const step = Math.max(1, Math.floor(viewport * (1 - overlap)));
  const tops: number[] = [];
  for (let top = 0; top < total - viewport; top += step) tops.push(top);
  tops.push(total - viewport);
  return tops;
}

export function autoPage(opts: AutoPageOptions): Attachment<HTMLElement> {
  return (el) => {
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
    let index = 0;
    const tops = () => pageTops(el.scrollHeight, el.clientHeight);
    const tell = () => opts.onpage?.(index + 1, tops().length);
    const tick = () => {
      const all = tops();
      index = all.length > 1 ? (index + 1) % all.length : 0;
      el.scrollTo({ top: all[index] ?? 0, behavior: reduced.matches ? 'instant' : 'smooth' });
      tell();
    };
    // The board grows as it loads and as people write: the page count follows.
    const resized = new ResizeObserver(tell);
    resized.observe(el);
    for (const child of el.children) resized.observe(child);
    const grown = new MutationObserver(tell);
    grown.observe(el, { childList: true, subtree: true, characterData: true });
    tell();
    const timer = setInterval(tick, opts.holdMs);
    return () => {
      clearInterval(timer);
      resized.disconnect();
      grown.disconnect();
    };
  };
}
