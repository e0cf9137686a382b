// The Socket.IO facilitation channel: event names and payloads, typed both ways,
// the commands and which roles may send them, and the closed set of error codes.
import type { Role } from './model.js';
import type { CardColor } from './board.js';
import type { FacilitatorCommand, Phase, RankedCard, ResultsVisibility, SessionState } from './session.js';
import type { Ballot } from './voting.js';

/**
 * The version of this protocol, which a client sends in the handshake (`auth.protocol`).
 * Raise it whenever a command or an event changes shape: a client older than the server
 * whose command the server cannot read is then told to reload (`outdated_client`) instead
 * of getting `bad_request`. Raise `MIN_CLIENT_PROTOCOL` with it when older clients cannot
 * work at all: the handshake then refuses them (`connect_error` `outdated_client`).
 * Clients from before the handshake carried a version send none: they speak version 1.
 */
// 2: `vote:ranking` sends a card's text only when it is new to the room or changed (`RankingEntry`).
// 3: `vote:ranking` is a `RankingUpdate` (whole, or the entries changed and the keys gone), not a list;
//    a page of 2 or older cannot read it, so the minimum is 3 too.
// 4: the live ranking's changes ride with the vote progress (`vote:progress`'s second
//    argument), one packet per socket an announcement; a page of 3 would miss them.
export const PROTOCOL_VERSION = 4;
export const MIN_CLIENT_PROTOCOL = 4;

/** What a client sends in the Socket.IO handshake. */
export interface HandshakeAuth {
  token: string;
  protocol: number;
}

export const ErrorCode = {
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  BadRequest: 'bad_request',
  NotFound: 'not_found',
  RateLimited: 'rate_limited',
  /** A locked board takes no writes, from anyone. */
  Locked: 'locked',
  Internal: 'internal',
  /** The page is older than the server: reloading it fixes this. */
  OutdatedClient: 'outdated_client',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** `connect_error` message (and `data.code`) of a handshake from a page of a foreign origin (ALLOWED_ORIGINS). */
export const BAD_ORIGIN = 'bad_origin';

/** `connect_error` `data` of a handshake refused for its protocol version. */
export interface OutdatedClientData {
  code: typeof ErrorCode.OutdatedClient;
  /** The server's protocol version, and the oldest it accepts. */
  server: number;
  minimum: number;
}

export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: ErrorCode; message: string };

/** Commands as clients send them. The server adds what only it may decide (ids, rankings). */
export type Command =
  | Exclude<FacilitatorCommand, { type: 'vote:open' } | { type: 'vote:close' } | { type: 'agenda:set' }>
  | { type: 'agenda:set'; agenda: Array<Omit<Phase, 'id'> & { id?: string }> }
  | { type: 'vote:open'; groupIds: string[]; budget: number; maxPerCard: number; results: ResultsVisibility }
  | { type: 'vote:close' }
  | { type: 'private:reveal' }
  | { type: 'announce'; text: string; groupId: string | null }
  | { type: 'participant:move'; participantId: string; groupId: string }
  | { type: 'participant:remove'; participantId: string }
  | { type: 'link:create'; role: 'facilitator' | 'projector' | 'organizer' | 'rapporteur' }
  | { type: 'card:add-private'; text: string; color: CardColor }
  | { type: 'card:remove-private'; id: string }
  | { type: 'vote:set'; groupId: string; cardId: string; dots: number }
  | { type: 'vote:done'; done: boolean };
export type CommandType = Command['type'];

const FACILITATOR: readonly Role[] = ['facilitator'];
const PARTICIPANT: readonly Role[] = ['participant'];

/** Who may send each command. Checked by the server; the client only hides buttons. */
export const COMMAND_ROLES: Record<CommandType, readonly Role[]> = {
  'agenda:set': FACILITATOR,
  'phase:start': FACILITATOR,
  'phase:next': FACILITATOR,
  'timer:pause': FACILITATOR,
  'timer:resume': FACILITATOR,
  'timer:add': FACILITATOR,
  'lock:set': FACILITATOR,
  'autolock:set': FACILITATOR,
  'spotlight:set': FACILITATOR,
  'follow:set': FACILITATOR,
  'private:set': FACILITATOR,
  'anonymous:set': FACILITATOR,
  'private:reveal': FACILITATOR,
  'vote:open': FACILITATOR,
  'vote:close': FACILITATOR,
  announce: FACILITATOR,
  'participant:move': FACILITATOR,
  'participant:remove': FACILITATOR,
  'link:create': FACILITATOR,
  'card:add-private': PARTICIPANT,
  'card:remove-private': PARTICIPANT,
  'vote:set': PARTICIPANT,
  'vote:done': PARTICIPANT,
};

/** What a command's acknowledgement carries besides `ok`. */
export interface CommandReply {
  /** `link:create`: the new link's path with its token (in the fragment). */
  link?: string;
  /** `card:add-private`: the new card's id. */
  id?: string;
}

export interface PresenceEntry {
  participantId: string | null;
  name: string;
  role: Role;
  groupId: string | null;
  connections: number;
}

export interface RosterEntry {
  participantId: string;
  name: string;
  groupId: string;
  online: boolean;
  joinedAt: number;
}

export interface GroupActivity {
  groupId: string;
  online: number;
  lastActivityAt: number | null;
  cards: number;
  words: number;
  /** Board updates per minute over the last 30 minutes, oldest first. */
  contributions: number[];
}

export interface PrivateCard {
  id: string;
  groupId: string;
  text: string;
  color: CardColor;
  createdAt: number;
}

export interface VoteProgress {
  eligible: number;
  voted: number;
  finished: number;
}

export interface Announcement {
  text: string;
  groupId: string | null;
  at: number;
}

export interface WorkshopSnapshot {
  workshopId: string;
  /** Server time when the snapshot was sent. */
  serverTime: number;
  session: SessionState;
  /** Who is online, for the facilitator's console (which alone shows it); empty for everyone else. */
  presence: PresenceEntry[];
  /** The receiver's own view: its current group, ballot and private cards (participants). */
  you: { role: Role; participantId: string | null; groupId: string | null; ballot: Ballot; votingDone: boolean; privateCards: PrivateCard[] };
  voteProgress: VoteProgress | null;
  /** Visible when the round's results are live or closed, and always to the facilitator. */
  ranking: RankedCard[] | null;
  /** The latest announcements the receiver may see, oldest first. */
  announcements: Announcement[];
  /** For the facilitator and the projector, which show it in the room; null for others. */
  joinCode: string | null;
}

/**
 * A live ranking entry as `vote:ranking` sends it: `text` (and a cluster's `cards`) only
 * when the receiver has not been told them in this round or they changed since; `null`
 * when the card is no longer known. The client keeps what it was told (`LiveState`).
 */
export type RankingEntry = Omit<RankedCard, 'text'> & { text?: string | null };

/**
 * A live (or frozen) ranking as `vote:ranking` sends it. `whole`: the ranking entire (the
 * first of a round or audience, the frozen one at the close, every one in cluster mode),
 * which replaces what the client held. Otherwise a change since the previous announcement
 * to the same audience: the entries whose dots, voters or text changed (absolute counts),
 * and the keys (`groupId/cardId`) of those that left the ranking; the client merges them
 * and re-sorts with `byRank` (shared/voting.ts). A live ranking to participants holds its
 * first `LIVE_ROOM_TOP` entries (shared/voting.ts): one pushed out of them is `gone` for them.
 */
export interface RankingUpdate {
  whole: boolean;
  entries: RankingEntry[];
  /** Keys of entries no longer ranked; empty when `whole`. */
  gone: string[];
}

export interface ServerToClientEvents {
  'workshop:snapshot': (snapshot: WorkshopSnapshot) => void;
  'session:state': (state: SessionState, serverTime: number) => void;
  /** To facilitators only, throttled like the snapshot's `presence`. */
  'presence:update': (presence: PresenceEntry[]) => void;
  'roster:update': (roster: RosterEntry[]) => void;
  'activity:update': (activity: GroupActivity[]) => void;
  /**
   * The throttled vote announcement: the progress and, when the socket may see it, what
   * changed in the live ranking (whole for facilitators, the first entries for the room).
   */
  'vote:progress': (progress: VoteProgress, ranking?: RankingUpdate) => void;
  /** The frozen ranking of a closed round, whole (a live one rides with `vote:progress`). */
  'vote:ranking': (update: RankingUpdate) => void;
  'vote:ballot': (ballot: Ballot, done: boolean) => void;
  'private:cards': (cards: PrivateCard[]) => void;
  'private:counts': (counts: Record<string, number>) => void;
  announcement: (announcement: Announcement) => void;
  /** Your group changed (the facilitator moved you). */
  'you:moved': (groupId: string) => void;
  /** The facilitator removed you: your token no longer works. */
  'you:removed': () => void;
  /** Facilitators and projectors: the facilitator changed the join code (the old one no longer works). */
  'join:code': (joinCode: string) => void;
  /** The link this socket was opened with was revoked, or expired: the socket is closed after this. */
  'you:unauthorized': (refusal: { code: 'unauthorized'; reason: 'revoked' | 'expired' }) => void;
  /** The workshop was deleted: everything in it is gone; the socket is closed after this. */
  'workshop:deleted': () => void;
  /**
   * Cluster mode: the node serving this socket lost (`cut: true`) or regained its link to the
   * other nodes. While cut, what is written here is stored, but people served by other nodes
   * see it only once the link is back. Sent on a change, and after the snapshot while cut.
   */
  'cluster:link': (link: { cut: boolean }) => void;
}

export interface ClientToServerEvents {
  command: (command: Command, ack: (reply: Ack<CommandReply>) => void) => void;
  'clock:ping': (clientTime: number, ack: (reply: { clientTime: number; serverTime: number }) => void) => void;
}
