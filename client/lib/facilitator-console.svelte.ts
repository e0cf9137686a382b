// The facilitator's console: finds the facilitator token (URL fragment, else kept),
// loads the workshop with it, and offers the join link (the live session is SessionConsole's).
import type { Api, WorkshopView } from './api.js';
import { describeError, type ShownError } from './errors.js';
import { paths } from './routes.js';
import type { SessionStore } from './session.js';

export interface FacilitatorConsoleDeps {
  api: Api;
  session: SessionStore;
  origin: string;
}

export class FacilitatorConsole {
  readonly workshopId: string;
  readonly token: string | null;
  #workshop = $state<WorkshopView | null>(null);
  #error = $state<ShownError | null>(null);
  #copied = $state<string | null>(null);
  #copiedTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #deps: FacilitatorConsoleDeps;

  /** `fragmentToken` is `k` from `#k=…`; it is kept, so the link may then lose it. */
  constructor(workshopId: string, fragmentToken: string | null, deps: FacilitatorConsoleDeps) {
    this.workshopId = workshopId;
    this.#deps = deps;
    if (fragmentToken) deps.session.setFacilitatorToken(workshopId, fragmentToken);
    this.token = fragmentToken ?? deps.session.facilitatorToken(workshopId);
  }

  async load(): Promise<void> {
    if (!this.token) return;
    try {
      this.#workshop = await this.#deps.api.getWorkshop(this.workshopId, this.token);
    } catch (err) {
      this.#error = describeError(err);
    }
  }

  get workshop(): WorkshopView | null {
    return this.#workshop;
  }

  /** The facilitator rotated the join code: the page shows the new one. */
  setJoinCode(joinCode: string): void {
    if (this.#workshop) this.#workshop = { ...this.#workshop, joinCode };
  }

  get error(): ShownError | null {
    return this.#error;
  }

  get joinUrl(): string | null {
    const code = this.#workshop?.joinCode;
    return code ? `${this.#deps.origin}${paths.join(code)}` : null;
  }

  get secretUrl(): string | null {
    return this.token ? `${this.#deps.origin}${paths.facilitate(this.workshopId)}#k=${encodeURIComponent(this.token)}` : null;
  }

  /** Which of the copy buttons last copied, for a moment. */
  get copied(): string | null {
    return this.#copied;
  }

  async copy(what: string, text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      return; // no clipboard permission (plain http, old browser): the text stays selectable
    }
    this.#copied = what;
    clearTimeout(this.#copiedTimer);
    this.#copiedTimer = setTimeout(() => (this.#copied = null), 2000);
  }

  destroy(): void {
    clearTimeout(this.#copiedTimer);
  }
}
