// One workshop's live facilitation state: the public session, and what only the server
// sees (ballots, private cards), the roster and who is online. Serialised whole to the
// store after every change, so a restart resumes exactly where it was.
import type { Participant } from '../../shared/model.js';
import type { Announcement, PrivateCard, PresenceEntry, RosterEntry, VoteProgress } from '../../shared/protocol.js';
import { type SessionState } from '../../shared/session.js';
import { type Ballot, dotsUsed } from '../../shared/voting.js';
import type { Principal } from '../auth/principal.js';
import { SESSION_RECORD_VERSION, type HeldCard, type SessionRecord } from './session-record.js';
import type { Votable } from './votables.js';
import { RankingAnnouncer } from './ranking-announcer.js';
import { LIVE_ROOM_TOP } from '../../shared/voting.js';
import { mergePresence, presenceKey } from './presence-merge.js';

export type { HeldCard, SessionRecord } from './session-record.js';

/** How many announcements a session keeps for clients that (re)connect. */
export const KEPT_ANNOUNCEMENTS = 20;

export class WorkshopSession {
  readonly workshopId: string;
  /** Shown in the room (console, projector), never to participants' sockets; the facilitator may rotate it. */
  joinCode: string;
  groupIds: string[];
  state: SessionState;
  ballots: Map<string, Ballot>;
  done: Set<string>;
  heldCards: HeldCard[];
  announcements: Announcement[];
  /** The stored record's revision this copy holds (session-record.ts). */
  rev: number;
  /** Counts the changes commands made here: in cluster mode, a change is told to the other nodes. */
  changes = 0;
  readonly participants: Map<string, Participant>;
  /**
   * Texts of the cards and clusters on the ballot (`groupId/cardId`; null: no longer on its board), read
   * when a dot is placed: the live ranking shows them. Not stored: read again after a restart.
   */
  readonly cardTexts = new Map<string, Votable | null>();
  /**
   * What the live ranking of this round told those who get it whole: the facilitators, and
   * the projectors when results are live (ranking-announcer.ts).
   */
  readonly rankingAnnouncer: RankingAnnouncer;
  /** What the room (everyone else) was told of a live round: its first `LIVE_ROOM_TOP` entries. */
  readonly roomAnnouncer: RankingAnnouncer;
  /**
   * The vote announcement being sent (it takes a few turns of the event loop in a large
   * room): the next one, and a round's open or close, wait for it; a dot does not.
   */
  announcing: Promise<void> = Promise.resolve();
  /** Open Socket.IO connections per presence key, on this node. */
  readonly #online = new Map<string, PresenceEntry>();
  /** Who is online through other nodes (cluster mode, server/cluster/cluster-presence.ts), by presence key; empty on a single node. */
  #elsewhere: ReadonlyMap<string, PresenceEntry> = new Map();
  #queue: Promise<unknown> = Promise.resolve();
  /** Commands queued or running. */
  #pending = 0;
  /** When someone last connected, left or sent a command (the service's clock). */
  lastUsedAt = 0;

  /** `announceChanges: false` in cluster mode: every live ranking is whole (ranking-announcer.ts). */
  constructor(workshopId: string, joinCode: string, groupIds: string[], record: SessionRecord, participants: Participant[], { announceChanges = true } = {}) {
    this.rankingAnnouncer = new RankingAnnouncer({ changes: announceChanges });
    this.roomAnnouncer = new RankingAnnouncer({ changes: announceChanges, top: LIVE_ROOM_TOP });
    this.workshopId = workshopId;
    this.joinCode = joinCode;
    this.groupIds = groupIds;
    this.state = record.state;
    this.ballots = new Map(Object.entries(record.ballots));
    this.done = new Set(record.done);
    this.heldCards = record.heldCards;
    this.announcements = record.announcements;
    this.rev = record.rev ?? 0;
    this.participants = new Map(participants.map((p) => [p.id, p]));
  }

  /** Commands on one workshop run one at a time. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#queue.then(task).finally(() => this.#pending--);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** No command is queued or running. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  toRecord(overrides: Partial<Omit<SessionRecord, 'version'>> = {}): SessionRecord {
    return {
      version: SESSION_RECORD_VERSION,
      state: overrides.state ?? this.state,
      ballots: overrides.ballots ?? Object.fromEntries(this.ballots),
      done: overrides.done ?? [...this.done],
      heldCards: overrides.heldCards ?? this.heldCards,
      announcements: overrides.announcements ?? this.announcements,
      rev: this.rev,
    };
  }

  apply(record: SessionRecord): void {
    this.state = record.state;
    this.ballots = new Map(Object.entries(record.ballots));
    this.done = new Set(record.done);
    this.heldCards = record.heldCards;
    this.announcements = record.announcements;
    this.rev = record.rev ?? 0;
  }

  /**
   * Another node stored a newer record (cluster mode): what everyone shares (phase, timer,
   * locks, spotlight, announcements, private cards) applies now; ballots only when a new
   * round began — the rows are read from the store next (they change without the record).
   */
  applyShared(record: SessionRecord): void {
    const newRound = (record.state.round?.id ?? null) !== (this.state.round?.id ?? null);
    this.state = record.state;
    this.heldCards = record.heldCards;
    this.announcements = record.announcements;
    this.rev = record.rev ?? 0;
    if (newRound) {
      this.ballots = new Map(Object.entries(record.ballots));
      this.done = new Set(record.done);
    }
  }

  /** The participant as it is now (moved, removed), or null. */
  activeParticipant(id: string | null): Participant | null {
    const p = id ? this.participants.get(id) : undefined;
    return p && p.removedAt === null ? p : null;
  }

  // ---- presence -------------------------------------------------------------

  connected(p: Principal): void {
    const key = presenceKey(p);
    const entry = this.#online.get(key) ?? { participantId: p.participantId, name: p.name, role: p.role, groupId: p.groupId, connections: 0 };
    entry.connections++;
    this.#online.set(key, entry);
  }

  disconnected(p: Principal): void {
    const key = presenceKey(p);
    const entry = this.#online.get(key);
    if (!entry) return;
    if (--entry.connections <= 0) this.#online.delete(key);
  }

  /** People online, on every node. */
  get onlineCount(): number {
    if (this.#elsewhere.size === 0) return this.#online.size;
    let n = this.#online.size;
    for (const key of this.#elsewhere.keys()) if (!this.#online.has(key)) n++;
    return n;
  }

  /** People online through this node's own sockets (what keeps its session in memory). */
  get localOnlineCount(): number {
    return this.#online.size;
  }

  /** This node's own entries, as it publishes them to the others. */
  localPresence(): PresenceEntry[] {
    return [...this.#online.values()].map((e) => ({ ...e }));
  }

  /** The people other nodes have online now (replaces what they had). */
  setElsewhere(entries: ReadonlyMap<string, PresenceEntry>): void {
    this.#elsewhere = entries;
  }

  /** Participants online elsewhere that this node's roster has not heard of (they joined through another node). */
  unknownElsewhere(): string[] {
    const ids: string[] = [];
    for (const e of this.#elsewhere.values()) if (e.participantId !== null && !this.participants.has(e.participantId)) ids.push(e.participantId);
    return ids;
  }

  #isOnline(key: string): boolean {
    return this.#online.has(key) || this.#elsewhere.has(key);
  }

  presence(): PresenceEntry[] {
    const entries = this.#elsewhere.size > 0 ? [...mergePresence([this.#online.values(), this.#elsewhere.values()]).values()] : [...this.#online.values()];
    return entries.map((e) => {
      const p = e.participantId ? this.participants.get(e.participantId) : undefined;
      return { ...e, groupId: p?.groupId ?? e.groupId, name: p?.name ?? e.name };
    });
  }

  facilitatorOnline(): boolean {
    return this.#isOnline('facilitator');
  }

  roster(): RosterEntry[] {
    return [...this.participants.values()]
      .filter((p) => p.removedAt === null)
      .map((p) => ({ participantId: p.id, name: p.name, groupId: p.groupId, online: this.#isOnline(p.id), joinedAt: p.joinedAt }));
  }

  /** Participants online per group, in one pass over who is online (the console asks for every group at once). */
  onlineByGroup(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.presence()) if (e.role === 'participant' && e.groupId !== null) counts.set(e.groupId, (counts.get(e.groupId) ?? 0) + 1);
    return counts;
  }

  /** Announcements one principal may see: to everyone, or to its group (the facilitator sees all). */
  announcementsFor(p: Principal): Announcement[] {
    const groupId = this.activeParticipant(p.participantId)?.groupId ?? null;
    return this.announcements.filter((a) => a.groupId === null || p.role === 'facilitator' || a.groupId === groupId);
  }

  // ---- voting -----------------------------------------------------------------

  /** Ballots of participants still in the workshop: a removed one's dots no longer count. */
  activeBallots(): Ballot[] {
    return [...this.ballots.entries()].filter(([pid]) => this.activeParticipant(pid)).map(([, ballot]) => ballot);
  }

  voteProgress(): VoteProgress | null {
    const round = this.state.round;
    if (!round) return null;
    // Who can still vote: those here now, and those who already did (a tab closed
    // mid-vote still counts); people who left before voting do not hold the count back.
    let eligible = 0;
    let voted = 0;
    let finished = 0;
    for (const p of this.roster()) {
      const used = dotsUsed(this.ballots.get(p.participantId) ?? {});
      const isDone = this.done.has(p.participantId) || used >= round.budget;
      if (!p.online && used === 0 && !isDone) continue;
      eligible++;
      if (used > 0) voted++;
      if (isDone) finished++;
    }
    return { eligible, voted, finished };
  }

  heldCardsOf(participantId: string): PrivateCard[] {
    return this.heldCards.filter((c) => c.participantId === participantId).map(({ participantId: _p, author: _a, ...card }) => card);
  }

  heldCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.heldCards) counts[c.groupId] = (counts[c.groupId] ?? 0) + 1;
    return counts;
  }
}
