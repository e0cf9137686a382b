// The one persistence interface. Adapters only load and save: no business rules here.
import type { Group, Participant, Role, Workshop } from '../../shared/model.js';
import type { VersionInfo } from '../../shared/history.js';
import type { Template } from '../../shared/templates.js';

export interface StoredDoc {
  /** The last compacted state, or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** Updates appended after the snapshot, in order. */
  updates: Uint8Array[];
  /** Sequence number of the last update (0 when none): 1, 2, 3… per board, with no gaps. */
  lastSeq: number;
}

/** One issued token (a link): every token is recorded when signed, under its `jti`. */
export interface LinkRecord {
  id: string;
  workshopId: string;
  role: Role;
  /** A participant's group when the token was issued; null for every other role. */
  groupId: string | null;
  participantId: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
  revokedAt: number | null;
}

export interface Store {
  createWorkshop(workshop: Workshop, groups: Group[]): Promise<void>;
  getWorkshop(id: string): Promise<Workshop | null>;
  findWorkshopByJoinCode(code: string): Promise<Workshop | null>;
  listGroups(workshopId: string): Promise<Group[]>;
  /** `device`: a hash of the key the joining browser keeps, when it sent one. */
  addParticipant(participant: Participant, device?: string | null): Promise<void>;
  /** Whether someone who joined this workshop from `device` (a hash) was removed since. */
  deviceRemoved(workshopId: string, device: string): Promise<boolean>;
  /** A participant, also one that was removed (see `removedAt`). */
  getParticipant(id: string): Promise<Participant | null>;
  listParticipants(workshopId: string): Promise<Participant[]>;
  moveParticipant(id: string, groupId: string): Promise<void>;
  removeParticipant(id: string, at: number): Promise<void>;

  /** The facilitated session's state, as the session service serialises it. */
  loadSession(workshopId: string): Promise<string | null>;
  saveSession(workshopId: string, data: string): Promise<void>;
  /**
   * One participant's ballot in a voting round, stored apart from the session record: a
   * dot costs one small row, not the whole record. Ballots of other rounds of the
   * workshop are no longer read; `pruneBallots` drops them.
   */
  saveBallot(workshopId: string, roundId: string, participantId: string, data: string): Promise<void>;
  /** The ballots stored for a round, by participant id. */
  loadBallots(workshopId: string, roundId: string): Promise<Map<string, string>>;
  /** Drops the workshop's ballots of every round but `keepRoundId`. */
  pruneBallots(workshopId: string, keepRoundId: string): Promise<void>;

  /**
   * Appends one board update durably; resolves with its sequence number. A board sends
   * its appends without waiting for the previous ones: those of one doc are stored, and
   * answered, in the order they were called.
   */
  appendUpdate(docName: string, update: Uint8Array): Promise<number>;
  /**
   * The board as stored, in one consistent read. With `afterSeq`, only what a holder of
   * every update through `afterSeq` lacks: the snapshot when it folds past `afterSeq`, and
   * the updates after both (a node filling a gap); `lastSeq` is then at least `afterSeq`.
   */
  loadDoc(docName: string, afterSeq?: number): Promise<StoredDoc>;
  /**
   * Replaces the board's updates through `throughSeq` by `snapshot`, atomically — unless
   * a snapshot folding as far is stored already, or another node is compacting the board
   * right now: then nothing changes (false).
   */
  compactDoc(docName: string, snapshot: Uint8Array, throughSeq: number): Promise<boolean>;

  /** Templates saved from workshops: found by id only (the id is the key to it). */
  saveTemplate(template: Template, createdAt: number): Promise<void>;
  getTemplate(id: string): Promise<Template | null>;

  /** A saved version of a board: its whole state. */
  addVersion(docName: string, info: VersionInfo, snapshot: Uint8Array): Promise<void>;
  /** Newest first, without their states. */
  listVersions(docName: string): Promise<VersionInfo[]>;
  getVersion(docName: string, id: string): Promise<{ info: VersionInfo; snapshot: Uint8Array } | null>;
  /** Deletes these versions of the board (thinning); ids it does not have are ignored. */
  deleteVersions(docName: string, ids: readonly string[]): Promise<void>;

  /**
   * Erases a workshop and everything of it — its boards' updates, snapshots and versions,
   * session, participants, groups, links — in one transaction (templates saved from it are
   * separate and stay), ballots included. SQLite also leaves no trace of it in its files (secure delete,
   * the WAL checkpointed and truncated). False when there was no such workshop.
   */
  deleteWorkshop(id: string): Promise<boolean>;
  /** Records that the workshop was used at `at` (a board update, a command, a join); never moves it back. */
  touchWorkshop(id: string, at: number): Promise<void>;
  /** Workshops last used before `before`, least recently used first. */
  listIdleWorkshops(before: number, limit: number): Promise<Array<{ id: string; lastActivityAt: number }>>;

  /** Records an issued link; a link whose id is already recorded is left as it is. */
  addLink(link: LinkRecord): Promise<void>;
  getLink(id: string): Promise<LinkRecord | null>;
  /** Every link of the workshop, revoked and expired ones included, oldest first. */
  listLinks(workshopId: string): Promise<LinkRecord[]>;
  /** Marks the workshop's link revoked (kept the first time); the link as it is now, or null when the workshop has no such link. */
  revokeLink(workshopId: string, id: string, at: number): Promise<LinkRecord | null>;
  /** Records that the link was used at `at`; never moves it back. */
  touchLink(id: string, at: number): Promise<void>;
  /** A new join code for the workshop (the caller checked that no other workshop has it). */
  setJoinCode(workshopId: string, code: string): Promise<void>;
  /** Closes or reopens joining (the join code is refused while closed). */
  setJoinClosed(workshopId: string, closed: boolean): Promise<void>;

  /** Answers a cheap query that reads the database (readiness); rejects when the store cannot answer. */
  ping(): Promise<void>;

  close(): Promise<void>;
}
