// The console's "Delete workshop": asked for, confirmed by typing the workshop's title,
// then sent; once done the page shows that the workshop is gone and forgets its key.
import type { Api } from './api.js';
import { describeError, type ShownError } from './errors.js';
import type { SessionStore } from './session.js';
import { confirmsTitle } from './title-confirmation.js';

export interface WorkshopDeletionDeps {
  api: Pick<Api, 'deleteWorkshop'>;
  session: Pick<SessionStore, 'forgetFacilitatorToken'>;
  workshopId: string;
  token: string;
  title: string;
}

export class WorkshopDeletion {
  readonly title: string;
  #asking = $state(false);
  typed = $state('');
  #busy = $state(false);
  #error = $state<ShownError | null>(null);
  #deleted = $state(false);
  readonly #deps: WorkshopDeletionDeps;

  constructor(deps: WorkshopDeletionDeps) {
    this.#deps = deps;
    this.title = deps.title;
  }

  get asking(): boolean {
    return this.#asking;
  }

  get confirmed(): boolean {
    return confirmsTitle(this.typed, this.title);
  }

  get busy(): boolean {
    return this.#busy;
  }

  get error(): ShownError | null {
    return this.#error;
  }

  get deleted(): boolean {
    return this.#deleted;
  }

  ask(): void {
    this.#asking = true;
    this.#error = null;
  }

  cancel(): void {
    this.#asking = false;
    this.typed = '';
  }

  async delete(): Promise<void> {
    if (!this.confirmed || this.#busy) return;
    this.#busy = true;
    this.#error = null;
    try {
      await this.#deps.api.deleteWorkshop(this.#deps.workshopId, this.#deps.token);
      this.#deps.session.forgetFacilitatorToken(this.#deps.workshopId);
      this.#deleted = true;
    } catch (err) {
      this.#error = describeError(err);
    } finally {
      this.#busy = false;
    }
  }
}
