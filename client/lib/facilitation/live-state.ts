// What a client knows of the facilitated session, and how each server event changes
// it. Pure: the SessionClient holds one of these and swaps in the next.
import type {
  Announcement, GroupActivity, PresenceEntry, PrivateCard, RankingEntry, RankingUpdate, RosterEntry, ServerToClientEvents, VoteProgress, WorkshopSnapshot,
} from '../../../shared/protocol.js';
import type { RankedCard, SessionState } from '../../../shared/session.js';
import { byRank, cardKey } from '../../../shared/voting.js';

/** How many announcements a client keeps (the server keeps 20 too). */
export const KEPT_ANNOUNCEMENTS = 20;

export interface LiveState {
  snapshot: Omit<WorkshopSnapshot, 'serverTime'>;
  /** Facilitators only: every participant, its group and whether it is online. */
  roster: RosterEntry[];
  /** Facilitators only: per-group figures. */
  activity: GroupActivity[];
  /** Facilitators only: private cards held per group. */
  heldCounts: Record<string, number>;
  /** The facilitator removed this participant. */
  removed: boolean;
  /** The workshop was deleted. */
  deleted: boolean;
  /**
   * What this round's rankings said of each card (`groupId/cardId`): a live `vote:ranking`
   * sends a card's text only when it is new to the room or changed (server/facilitation/ranking-announcer.ts).
   */
  rankingTexts: ReadonlyMap<string, Pick<RankedCard, 'text' | 'cards'>>;
}

export type LiveEvent = {
  [E in keyof ServerToClientEvents]: { type: E; args: Parameters<ServerToClientEvents[E]> };
}[keyof ServerToClientEvents];

export function fromSnapshot(snapshot: WorkshopSnapshot, before: LiveState | null): LiveState {
  const { serverTime: _t, ...rest } = snapshot;
  return {
    snapshot: rest,
    roster: before?.roster ?? [],
    activity: before?.activity ?? [],
    heldCounts: before?.heldCounts ?? {},
    removed: false,
    deleted: before?.deleted ?? false,
    rankingTexts: textsOf(snapshot.ranking ?? [], new Map()),
  };
}

/** `known` updated with what `entries` say of their cards' texts (those that say nothing leave it as it was). */
function textsOf(entries: readonly RankingEntry[], known: ReadonlyMap<string, Pick<RankedCard, 'text' | 'cards'>>): Map<string, Pick<RankedCard, 'text' | 'cards'>> {
  const next = new Map(known);
  for (const { groupId, cardId, text, cards } of entries) {
    if (text === undefined) continue;
    next.set(cardKey(groupId, cardId), text === null ? {} : { text, ...(cards ? { cards } : {}) });
  }
  return next;
}

/**
 * The ranking after an announcement: a whole one replaces it; a change sets the counts of the
 * entries it names, drops those gone, and is re-sorted as the server sorts (`byRank`). Each
 * entry shows its card's text as last told.
 */
function nextRanking(s: LiveState, update: RankingUpdate): LiveState {
  const rankingTexts = textsOf(update.entries, s.rankingTexts);
  const counts = new Map<string, Omit<RankedCard, 'text' | 'cards'>>();
  if (!update.whole) for (const { groupId, cardId, dots, voters } of s.snapshot.ranking ?? []) counts.set(cardKey(groupId, cardId), { groupId, cardId, dots, voters });
  for (const key of update.gone) counts.delete(key);
  for (const { groupId, cardId, dots, voters } of update.entries) counts.set(cardKey(groupId, cardId), { groupId, cardId, dots, voters });
  const ranking: RankedCard[] = [...counts.values()].sort(byRank).map((entry) => ({ ...entry, ...rankingTexts.get(cardKey(entry.groupId, entry.cardId)) }));
  return { ...withSnapshot(s, { ranking }), rankingTexts };
}

function withSnapshot(s: LiveState, patch: Partial<LiveState['snapshot']>): LiveState {
  return { ...s, snapshot: { ...s.snapshot, ...patch } };
}

function withYou(s: LiveState, patch: Partial<LiveState['snapshot']['you']>): LiveState {
  return withSnapshot(s, { you: { ...s.snapshot.you, ...patch } });
}

/** A new session state: a new voting round starts with an empty ballot, no ranking and no progress. */
function nextSession(s: LiveState, session: SessionState): LiveState {
  const before = s.snapshot.session.round;
  const after = session.round;
  if (after?.id === before?.id) return withSnapshot(s, { session });
  const fresh: Partial<LiveState['snapshot']> = {
    session,
    ranking: after?.status === 'closed' ? after.ranking : null,
    voteProgress: after ? s.snapshot.voteProgress : null,
    you: { ...s.snapshot.you, ballot: {}, votingDone: false },
  };
  return { ...withSnapshot(s, fresh), rankingTexts: new Map() };
}

/** The state after one event; the snapshot itself is `fromSnapshot`. */
export function applyEvent(s: LiveState, e: LiveEvent): LiveState {
  switch (e.type) {
    case 'workshop:snapshot':
      return fromSnapshot(e.args[0], s);
    case 'session:state':
      return nextSession(s, e.args[0]);
    case 'presence:update':
      return withSnapshot(s, { presence: e.args[0] satisfies PresenceEntry[] });
    case 'roster:update':
      return { ...s, roster: e.args[0] };
    case 'activity:update':
      return { ...s, activity: e.args[0] };
    case 'vote:progress': {
      const next = withSnapshot(s, { voteProgress: e.args[0] satisfies VoteProgress });
      return e.args[1] ? nextRanking(next, e.args[1]) : next;
    }
    case 'vote:ranking':
      return nextRanking(s, e.args[0]);
    case 'vote:ballot':
      return withYou(s, { ballot: e.args[0], votingDone: e.args[1] });
    case 'private:cards':
      return withYou(s, { privateCards: e.args[0] satisfies PrivateCard[] });
    case 'private:counts':
      return { ...s, heldCounts: e.args[0] };
    case 'announcement':
      return withSnapshot(s, { announcements: [...s.snapshot.announcements, e.args[0] satisfies Announcement].slice(-KEPT_ANNOUNCEMENTS) });
    case 'you:moved':
      return withYou(s, { groupId: e.args[0] });
    case 'you:removed':
      return { ...s, removed: true };
    case 'workshop:deleted':
      return { ...s, deleted: true };
    case 'join:code':
      return withSnapshot(s, { joinCode: e.args[0] });
    case 'you:unauthorized':
      return s; // the session client's status says it (refused)
    case 'cluster:link':
      return s; // the session client's `peersCut` says it
  }
}

/** The ranking to show: the frozen one of a closed round, else the live one the server sent (if any). */
export function shownRanking(s: LiveState): RankedCard[] | null {
  const round = s.snapshot.session.round;
  if (!round) return null;
  if (round.status === 'closed') return round.ranking ?? s.snapshot.ranking;
  return s.snapshot.ranking;
}
