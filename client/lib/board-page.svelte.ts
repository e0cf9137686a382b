// The board page: who we are, the workshop around the board (its title and the other
// groups), the live board session, and the facilitated session around it (timer,
// locks, follow mode, private writing, voting).
import type { Api, WorkshopView } from './api.js';
import { BoardSession } from './board-session.svelte.js';
import { BoardFacilitation } from './facilitation/board-facilitation.svelte.js';
import { mayWrite, resolveIdentity, type BoardIdentity } from './identity.js';
import type { SourceRef } from '../../shared/plenary.js';
import { plenaryApi } from './plenary/plenary-api.js';
import { paths } from './routes.js';
import type { SessionStore } from './session.js';

export interface BoardPageDeps {
  api: Api;
  session: SessionStore;
  /** `ws(s)://host/yjs` */
  serverUrl: string;
  preferFacilitator: boolean;
  facilitatorName: string;
  preferRapporteur?: boolean;
  rapporteurName?: string;
  /** Opened by following the facilitator's spotlight (`?following=1`). */
  following: boolean;
  storage: Storage | null;
  navigate: (path: string) => void;
}

export class BoardPageModel {
  readonly workshopId: string;
  readonly groupId: string;
  readonly identity: BoardIdentity | null;
  readonly board: BoardSession | null;
  readonly facilitation: BoardFacilitation | null;
  #workshop = $state<WorkshopView | null>(null);
  readonly #deps: BoardPageDeps;

  constructor(workshopId: string, groupId: string, deps: BoardPageDeps) {
    this.workshopId = workshopId;
    this.groupId = groupId;
    this.#deps = deps;
    this.identity = resolveIdentity(deps.session, workshopId, deps);
    this.board = this.identity
      ? new BoardSession({
          workshopId,
          groupId,
          token: this.identity.token,
          user: this.identity.user,
          readOnly: !mayWrite(this.identity, groupId),
          locked: () => this.facilitation?.locked ?? false,
          anonymous: () => this.facilitation?.session?.anonymous ?? false,
          serverUrl: deps.serverUrl,
        })
      : null;
    this.facilitation = this.identity
      ? new BoardFacilitation({
          workshopId,
          groupId,
          identity: this.identity,
          following: deps.following,
          session: deps.session,
          storage: deps.storage,
          navigate: (path) => deps.navigate(path),
        })
      : null;
  }

  /** Loads the workshop's title and groups; the board works without them. */
  async load(): Promise<void> {
    if (!this.identity) return;
    try {
      this.#workshop = await this.#deps.api.getWorkshop(this.workshopId, this.identity.token);
    } catch {
      // The board socket reports a bad token itself (4401) with a clearer message.
    }
  }

  get workshop(): WorkshopView | null {
    return this.#workshop;
  }

  groupName(groupId: string): string {
    return this.#workshop?.groups.find((g) => g.id === groupId)?.name ?? '';
  }

  /** The facilitator and rapporteurs bring cards and sections into the synthesis (the server checks it). */
  get mayPull(): boolean {
    return this.identity?.role === 'facilitator' || this.identity?.role === 'rapporteur';
  }

  /** Brings a card or section of this board (or a passage of it) into the plenary board. */
  async pull(ref: SourceRef, passage?: string): Promise<void> {
    if (!this.identity) return;
    await plenaryApi.pull(this.workshopId, ref, this.identity.token, passage);
  }

  get plenaryPath(): string {
    return paths.plenary(this.workshopId);
  }

  get isFacilitator(): boolean {
    return this.identity?.role === 'facilitator';
  }

  /** Where "my group" is, for a participant looking at another group's board. */
  get ownBoardPath(): string | null {
    const own = this.identity?.groupId;
    return own && own !== this.groupId ? paths.board(this.workshopId, own) : null;
  }

  boardPath(groupId: string): string {
    const path = paths.board(this.workshopId, groupId);
    const as = this.identity?.role === 'rapporteur' ? 'rapporteur' : this.#deps.preferFacilitator ? 'facilitator' : null;
    return as ? `${path}?as=${as}` : path;
  }

  get consolePath(): string {
    return paths.facilitate(this.workshopId);
  }

  /** Drops a kept identity the server no longer accepts (4401). */
  forgetIdentity(): void {
    if (this.identity?.role === 'participant') this.#deps.session.forgetParticipant(this.workshopId);
  }

  destroy(): void {
    this.facilitation?.destroy();
    void this.board?.destroy();
  }
}
