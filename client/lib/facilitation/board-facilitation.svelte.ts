// The facilitated session as one board page sees it: the timer, whether the board is
// locked, where follow mode wants the page, private writing, dot voting on this
// board's cards, announcements, and being moved or removed by the facilitator.
import type { CardColor } from '../../../shared/board.js';
import type { Announcement, PrivateCard, VoteProgress } from '../../../shared/protocol.js';
import type { RankedCard, SessionState, VotingRound } from '../../../shared/session.js';
import type { Ballot } from '../../../shared/voting.js';
import type { BoardIdentity } from '../identity.js';
import { paths } from '../routes.js';
import type { SessionStore } from '../session.js';
import { refusal } from './command-errors.js';
import { dotsLeft, dotsOn, stepDots, withDots } from './dots.js';
import { followTarget, latestUnseen } from './follow.js';
import type { LiveEvent, LiveState } from './live-state.js';
import { SessionClient, type CommandOutcome, type SessionClientOptions } from './session-client.svelte.js';
import { Toasts } from './toasts.svelte.js';

export interface BoardFacilitationDeps {
  workshopId: string;
  groupId: string;
  identity: BoardIdentity;
  /** The page was opened by following the spotlight (`?following=1`). */
  following: boolean;
  session: SessionStore;
  storage: Storage | null;
  navigate: (path: string) => void;
  open?: SessionClientOptions['open'];
}

const seenKey = (workshopId: string) => `relatoria:announcement-seen:${workshopId}`;

export const followingPath = (workshopId: string, groupId: string, following: boolean) =>
  following ? `${paths.board(workshopId, groupId)}?following=1` : paths.board(workshopId, groupId);

export class BoardFacilitation {
  readonly client: SessionClient;
  readonly toasts = new Toasts();
  readonly #deps: BoardFacilitationDeps;
  #seenAt = $state(0);
  /** Dots clicked and not yet confirmed by the server, so quick clicks add up. */
  #pending = $state.raw<Ballot | null>(null);
  #inFlight = 0;
  #left = false;

  constructor(deps: BoardFacilitationDeps) {
    this.#deps = deps;
    this.#seenAt = Number(deps.storage?.getItem(seenKey(deps.workshopId)) ?? 0) || 0;
    this.client = new SessionClient({ token: deps.identity.token, ...(deps.open ? { open: deps.open } : {}) });
    this.client.listen((event, state) => this.#react(event, state));
  }

  get isParticipant(): boolean {
    return this.#deps.identity.role === 'participant';
  }

  /** Moved, removed, follow mode: where this page should go after an event, if anywhere. */
  #react(event: LiveEvent, state: LiveState): void {
    if (!this.isParticipant || this.#left) return;
    const { workshopId, groupId, identity, session } = this.#deps;
    if (state.removed) {
      session.forgetParticipant(workshopId);
      return;
    }
    if (event.type !== 'workshop:snapshot' && event.type !== 'session:state' && event.type !== 'you:moved') return;
    const current = state.snapshot.you.groupId;
    if (current && current !== identity.groupId) {
      const kept = session.participant(workshopId);
      if (kept) session.setParticipant(workshopId, { ...kept, groupId: current });
      // `moved=1`: the new board says why the person landed there.
      return this.#go(`${paths.board(workshopId, current)}?moved=1`);
    }
    const target = followTarget({ spotlight: state.snapshot.session.spotlight, groupId, ownGroupId: identity.groupId ?? groupId, following: this.#deps.following });
    if (target) this.#go(followingPath(workshopId, target.groupId, target.following));
  }

  #go(path: string): void {
    this.#left = true;
    this.#deps.navigate(path);
  }

  get session(): SessionState | null {
    return this.client.live?.snapshot.session ?? null;
  }

  get locked(): boolean {
    return this.session?.lockedGroups.includes(this.#deps.groupId) ?? false;
  }

  get removed(): boolean {
    return this.client.live?.removed ?? false;
  }

  /** The spotlighted group everyone follows now, if any. */
  get followedGroupId(): string | null {
    const spot = this.session?.spotlight;
    return spot?.follow ? spot.groupId : null;
  }

  #toast(outcome: CommandOutcome): boolean {
    if (outcome.ok) return true;
    const { title, detail } = refusal(outcome);
    this.toasts.show('error', title, detail);
    return false;
  }

  // ---- private writing ---------------------------------------------------------

  /** New cards go to the server and stay private until revealed: on, for a participant on its own board. */
  get privateWriting(): boolean {
    return this.isParticipant && this.#deps.identity.groupId === this.#deps.groupId && (this.session?.privateCards ?? false);
  }

  get heldCards(): PrivateCard[] {
    return (this.client.live?.snapshot.you.privateCards ?? []).filter((c) => c.groupId === this.#deps.groupId);
  }

  async addPrivateCard(text: string, color: CardColor): Promise<void> {
    if (text.trim() === '') return;
    this.#toast(await this.client.send({ type: 'card:add-private', text: text.trim(), color }));
  }

  async removeHeld(id: string): Promise<void> {
    this.#toast(await this.client.send({ type: 'card:remove-private', id }));
  }

  // ---- voting ------------------------------------------------------------------

  /** The open round, when this board's cards are on its ballot and this person may vote. */
  get round(): VotingRound | null {
    const round = this.session?.round;
    return this.isParticipant && round?.status === 'open' && round.groupIds.includes(this.#deps.groupId) ? round : null;
  }

  get ballot(): Ballot {
    return this.#pending ?? this.client.live?.snapshot.you.ballot ?? {};
  }

  get done(): boolean {
    return this.client.live?.snapshot.you.votingDone ?? false;
  }

  get dotsLeft(): number {
    return this.round ? dotsLeft(this.round, this.ballot) : 0;
  }

  dots(cardId: string): number {
    return dotsOn(this.ballot, this.#deps.groupId, cardId);
  }

  canStep(cardId: string, delta: 1 | -1): boolean {
    const round = this.round;
    return round !== null && !this.done && stepDots(round, this.ballot, this.#deps.groupId, cardId, delta) !== null;
  }

  async step(cardId: string, delta: 1 | -1): Promise<void> {
    const round = this.round;
    if (!round || this.done) return;
    const { groupId } = this.#deps;
    const dots = stepDots(round, this.ballot, groupId, cardId, delta);
    if (dots === null) return;
    this.#pending = withDots(this.ballot, groupId, cardId, dots);
    this.#inFlight++;
    const outcome = await this.client.send({ type: 'vote:set', groupId, cardId, dots });
    // The server's ballot arrives before its acknowledgement; once nothing is in flight, it is the truth.
    if (--this.#inFlight === 0) this.#pending = null;
    this.#toast(outcome);
  }

  async setDone(done: boolean): Promise<void> {
    this.#toast(await this.client.send({ type: 'vote:done', done }));
  }

  get progress(): VoteProgress | null {
    return this.session?.round ? (this.client.live?.snapshot.voteProgress ?? null) : null;
  }

  /** The ranking this person may see now, for the rounds that include this board. */
  get ranking(): RankedCard[] | null {
    const round = this.session?.round;
    return round && round.groupIds.includes(this.#deps.groupId) ? this.client.ranking : null;
  }

  // ---- announcements -----------------------------------------------------------

  get announcement(): Announcement | null {
    return latestUnseen(this.client.live?.snapshot.announcements ?? [], this.#seenAt);
  }

  dismissAnnouncement(): void {
    const a = this.announcement;
    if (!a) return;
    this.#seenAt = a.at;
    this.#deps.storage?.setItem(seenKey(this.#deps.workshopId), String(a.at));
  }

  destroy(): void {
    this.toasts.destroy();
    this.client.destroy();
  }
}
