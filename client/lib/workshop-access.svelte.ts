// Who can get into the workshop, as the console's Access panel shows it: the links that
// still work (revoked after a confirmation), and the join code (rotated, joining closed
// or opened). The server enforces all of it; this only asks and shows.
import type { LinkView } from '../../shared/links.js';
import type { Api } from './api.js';
import { describeError, type ShownError } from './errors.js';

export type ListedLink = LinkView & { current?: boolean };

export interface WorkshopAccessDeps {
  api: Pick<Api, 'listLinks' | 'revokeLink' | 'joining' | 'setJoining' | 'rotateJoinCode'>;
  workshopId: string;
  token: string;
  /** Told the new code after a rotation (the page shows it). */
  onJoinCode(code: string): void;
}

export class WorkshopAccess {
  #links = $state.raw<ListedLink[]>([]);
  #open = $state(true);
  #loaded = $state(false);
  #busy = $state(false);
  #error = $state<ShownError | null>(null);
  /** The link the facilitator asked to revoke, until confirmed or cancelled. */
  asking = $state<ListedLink | null>(null);
  askingRotate = $state(false);
  readonly #deps: WorkshopAccessDeps;

  constructor(deps: WorkshopAccessDeps) {
    this.#deps = deps;
  }

  get links(): ListedLink[] {
    return this.#links;
  }
  get joinOpen(): boolean {
    return this.#open;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): ShownError | null {
    return this.#error;
  }

  async load(): Promise<void> {
    await this.#run(async () => {
      const { api, workshopId, token } = this.#deps;
      const [links, joining] = await Promise.all([api.listLinks(workshopId, token), api.joining(workshopId, token)]);
      this.#links = links;
      this.#open = joining.open;
      this.#loaded = true;
    });
  }

  async revoke(link: ListedLink): Promise<void> {
    await this.#run(async () => {
      await this.#deps.api.revokeLink(this.#deps.workshopId, link.id, this.#deps.token);
      this.#links = this.#links.filter((l) => l.id !== link.id);
    });
  }

  async setOpen(open: boolean): Promise<void> {
    await this.#run(async () => {
      this.#open = (await this.#deps.api.setJoining(this.#deps.workshopId, open, this.#deps.token)).open;
    });
  }

  async rotate(): Promise<void> {
    await this.#run(async () => {
      const { joinCode } = await this.#deps.api.rotateJoinCode(this.#deps.workshopId, this.#deps.token);
      this.#deps.onJoinCode(joinCode);
    });
  }

  async #run(work: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      await work();
    } catch (err) {
      this.#error = describeError(err);
    } finally {
      this.#busy = false;
    }
  }
}
