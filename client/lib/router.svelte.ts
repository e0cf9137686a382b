// A tiny history-API router: the current route as state, `navigate` to change it,
// and same-origin link clicks handled without a page load.
import { fragmentParam, matchRoute, type Route } from './routes.js';

export class Router {
  #url = $state(new URL(window.location.href));
  readonly route: Route = $derived(matchRoute(this.#url.pathname));

  get hash(): string {
    return this.#url.hash;
  }

  get search(): URLSearchParams {
    return new URLSearchParams(this.#url.search);
  }

  fragmentParam(name: string): string | null {
    return fragmentParam(this.#url.hash, name);
  }

  navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
    const url = new URL(to, window.location.href);
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    this.#url = url;
    if (!replace) window.scrollTo(0, 0);
  }

  /** Drops the fragment from the address bar (e.g. after reading a secret from it). */
  clearFragment(): void {
    const url = new URL(this.#url);
    url.hash = '';
    window.history.replaceState(null, '', url);
    this.#url = url;
  }

  /** Listens to back/forward and to link clicks; returns the cleanup. */
  start(): () => void {
    const onPop = () => (this.#url = new URL(window.location.href));
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.('a');
      if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
      event.preventDefault();
      this.navigate(url.pathname + url.search + url.hash);
    };
    window.addEventListener('popstate', onPop);
    document.addEventListener('click', onClick);
    return () => {
      window.removeEventListener('popstate', onPop);
      document.removeEventListener('click', onClick);
    };
  }
}
