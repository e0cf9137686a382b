// Where the editor's toolbar sits so it never covers the line being written. On a phone
// it is docked to the bottom of what is visible: just above the on-screen keyboard, which
// shrinks the visual viewport (VisualViewport API) and not always the layout one. On a
// wide screen it sticks under the page's sticky bars. Either way, after each move of the
// caret the page scrolls, when needed, so the caret is clear of it.

export interface Band {
  top: number;
  bottom: number;
}

/** How far the visible area's bottom is above the layout viewport's: the keyboard, when only the visual viewport shrinks. */
export function keyboardInset(layoutHeight: number, visual: { offsetTop: number; height: number } | null): number {
  if (!visual) return 0;
  return Math.max(0, Math.round(layoutHeight - (visual.offsetTop + visual.height)));
}

/**
 * How far to scroll the page (positive: down) so the caret is clear of the toolbar by
 * `margin` pixels; 0 when it already is. A toolbar docked at the bottom must have the
 * caret above it (also when the caret went past the screen's bottom); one stuck at the
 * top must have it below.
 */
export function scrollToClear(caret: Band, toolbar: Band, placement: 'top' | 'bottom', margin = 8): number {
  if (placement === 'bottom') {
    const over = caret.bottom + margin - toolbar.top;
    return over > 0 ? Math.ceil(over) : 0;
  }
  const under = caret.top - margin - toolbar.bottom;
  return under < 0 ? Math.floor(under) : 0;
}

const DOCKED_QUERY = '(max-width: 700px), (pointer: coarse) and (max-width: 1024px)';

/** Whether the toolbar docks at the bottom (a phone), and how high the keyboard is. Live. */
export class ToolbarDock {
  #docked = $state(false);
  #inset = $state(0);
  readonly #cleanup: Array<() => void> = [];

  constructor(win: Window | null = typeof window === 'undefined' ? null : window) {
    if (!win) return;
    const query = win.matchMedia(DOCKED_QUERY);
    const onQuery = () => (this.#docked = query.matches);
    onQuery();
    query.addEventListener('change', onQuery);
    this.#cleanup.push(() => query.removeEventListener('change', onQuery));
    const visual = win.visualViewport;
    if (visual) {
      const onViewport = () => (this.#inset = keyboardInset(win.innerHeight, visual));
      onViewport();
      visual.addEventListener('resize', onViewport);
      visual.addEventListener('scroll', onViewport);
      this.#cleanup.push(() => {
        visual.removeEventListener('resize', onViewport);
        visual.removeEventListener('scroll', onViewport);
      });
    }
  }

  get docked(): boolean {
    return this.#docked;
  }

  /** Pixels between the layout viewport's bottom and the keyboard's top. */
  get inset(): number {
    return this.#inset;
  }

  destroy(): void {
    for (const c of this.#cleanup.splice(0)) c();
  }
}
