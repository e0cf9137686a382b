// What the session service tells the transport: who should hear what, never how.
import type { Announcement, GroupActivity, PresenceEntry, PrivateCard, RankingUpdate, RosterEntry, VoteProgress } from '../../shared/protocol.js';
import type { SessionState } from '../../shared/session.js';
import type { Ballot } from '../../shared/voting.js';

export interface SessionEvents {
  state(workshopId: string, state: SessionState): void;
  presence(workshopId: string, presence: PresenceEntry[]): void;
  roster(workshopId: string, roster: RosterEntry[]): void;
  ballot(workshopId: string, participantId: string, ballot: Ballot, done: boolean): void;
  /**
   * The throttled vote announcement: progress to everyone, the live ranking to its audience.
   * The transport may send it over several turns of the event loop (a large room); it
   * resolves once all is sent (`WorkshopSession.announcing`: the next announcement and a
   * round's open or close wait for it).
   */
  votes(workshopId: string, announcement: VoteAnnouncement): Promise<void> | void;
  /** The frozen ranking of a closed round, whole, to everyone. */
  ranking(workshopId: string, update: RankingUpdate, everyone: boolean): void;
  heldCards(workshopId: string, participantId: string, cards: PrivateCard[]): void;
  heldCounts(workshopId: string, counts: Record<string, number>): void;
  announcement(workshopId: string, announcement: Announcement): void;
  moved(workshopId: string, participantId: string, groupId: string): void;
  removed(workshopId: string, participantId: string): void;
  activity(workshopId: string, activity: GroupActivity[]): void;
  /** The workshop is being deleted: everyone connected is told and disconnected. */
  deleted(workshopId: string): void;
  /**
   * Cluster mode: this node read the session again after Redis came back (notices may have
   * been lost meanwhile): its own sockets get the state as stored, the other nodes' do not.
   */
  resync(workshopId: string, state: SessionState): void;
  /** A new phase began (its name): boards get a version. */
  phaseChanged(workshopId: string, phaseName: string): void;
}

export type Emit = <K extends Exclude<keyof SessionEvents, 'votes'>>(event: K, ...args: Parameters<SessionEvents[K]>) => void;

export interface VoteAnnouncement {
  progress: VoteProgress;
  /**
   * What changed in the live ranking since its audience was last told (ranking-announcer.ts):
   * the facilitators, and the projectors when results are live (`room` is then not null).
   */
  ranking: RankingUpdate | null;
  /** Live results: what changed in the ranking's first entries, for everyone else. */
  room: RankingUpdate | null;
}

/** Sends a vote announcement; resolves once every listener sent it. */
export type EmitVotes = (workshopId: string, announcement: VoteAnnouncement) => Promise<void>;
