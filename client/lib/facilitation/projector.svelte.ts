// The room's big screen: the spotlighted board live and read-only, the phase and its
// timer, the join code and QR code when nothing is spotlighted, and the ranking of
// the last closed voting round.
import type { Announcement } from '../../../shared/protocol.js';
import type { Api, WorkshopView } from '../api.js';
import { describeError, type ShownError } from '../errors.js';
import { paths } from '../routes.js';
import { BoardReader, BoardReaderPool } from './board-reader.svelte.js';
import { SessionClient, type SessionClientOptions } from './session-client.svelte.js';
import { timerView, type TimerView } from './timer-view.js';

/** How long an announcement stays on the room's screen. */
export const ANNOUNCEMENT_SHOWN_MS = 3 * 60_000;

export interface ProjectorDeps {
  workshopId: string;
  /** `k` from the link's fragment. */
  token: string;
  /** `c` from the link's fragment: the join code (the console adds it to the projector link). */
  joinCode: string | null;
  api: Api;
  origin: string;
  serverUrl: string;
  open?: SessionClientOptions['open'];
}

export class Projector {
  readonly client: SessionClient;
  readonly readers: BoardReaderPool;
  readonly #deps: ProjectorDeps;
  #workshop = $state<WorkshopView | null>(null);
  #error = $state<ShownError | null>(null);
  #board = $state.raw<BoardReader | null>(null);

  constructor(deps: ProjectorDeps) {
    this.#deps = deps;
    this.client = new SessionClient({ token: deps.token, ...(deps.open ? { open: deps.open } : {}) });
    this.readers = new BoardReaderPool({ serverUrl: deps.serverUrl, workshopId: deps.workshopId, token: deps.token });
  }

  async load(): Promise<void> {
    try {
      this.#workshop = await this.#deps.api.getWorkshop(this.#deps.workshopId, this.#deps.token);
    } catch (err) {
      this.#error = describeError(err);
    }
  }

  get workshop(): WorkshopView | null {
    return this.#workshop;
  }

  get error(): ShownError | null {
    return this.#error;
  }

  get refused(): boolean {
    return this.client.status === 'refused';
  }

  get timer(): TimerView | null {
    const s = this.client.live?.snapshot.session;
    return s ? timerView(s, this.client.serverNow) : null;
  }

  get spotlightGroupId(): string | null {
    return this.client.live?.snapshot.session.spotlight.groupId ?? null;
  }

  /** Opens the spotlighted board, closing the one before (called from an effect on `spotlightGroupId`). */
  show(groupId: string | null): void {
    if (this.#board?.groupId === groupId) return;
    this.#board?.destroy();
    this.#board = groupId ? new BoardReader({ serverUrl: this.#deps.serverUrl, workshopId: this.#deps.workshopId, groupId, token: this.#deps.token }) : null;
  }

  get board(): BoardReader | null {
    return this.#board;
  }

  groupName(groupId: string | null): string {
    return this.#workshop?.groups.find((g) => g.id === groupId)?.name ?? '';
  }

  get joinCode(): string | null {
    // The live channel's code first: the facilitator may have changed it since the link was made.
    return this.client.live?.snapshot.joinCode ?? this.#deps.joinCode ?? this.#workshop?.joinCode ?? null;
  }

  get joinUrl(): string | null {
    const code = this.joinCode;
    return code ? `${this.#deps.origin}${paths.join(code)}` : null;
  }

  /** The latest announcement to everyone, for a while after it was sent (nobody dismisses a projector's). */
  get announcement(): Announcement | null {
    const latest = (this.client.live?.snapshot.announcements ?? []).filter((a) => a.groupId === null).at(-1);
    return latest && this.client.serverNow - latest.at < ANNOUNCEMENT_SHOWN_MS ? latest : null;
  }

  /** The closed round's ranking, best first, with its cards' texts. */
  get ranking() {
    const round = this.client.live?.snapshot.session.round;
    if (round?.status !== 'closed' || !round.ranking || round.ranking.length === 0) return null;
    return round.ranking.map((r) => ({ ...r, groupName: this.groupName(r.groupId), text: this.readers.cardText(r.groupId, r.cardId) ?? r.text ?? null }));
  }

  get rankingGroupIds(): string[] {
    const round = this.client.live?.snapshot.session.round;
    return round?.status === 'closed' ? round.groupIds : [];
  }

  destroy(): void {
    this.#board?.destroy();
    this.readers.destroy();
    this.client.destroy();
  }
}
