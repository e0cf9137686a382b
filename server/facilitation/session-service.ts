// The authority for every workshop's facilitation state. Each command is handled in
// three steps — AUTH (role, workshop, participant still there), VALIDATION (payload
// schema, then the rules in shared/session.ts and shared/voting.ts), RESOLUTION (the
// next record is stored first, then swapped in and announced) — so a failure changes
// nothing. Transport-free: what to tell whom goes out through `SessionEvents`. In cluster
// mode (`sync`) each command also holds the workshop's lock across nodes, reads the session
// as stored first, and tells the other nodes what it stored before its ack.
import type { Participant, Workshop } from '../../shared/model.js';
import { COMMAND_ROLES, type Command, type GroupActivity } from '../../shared/protocol.js';
import {
  applyFacilitatorCommand, defaultAgenda, initialSession, isTimeUp, onTimeUp, type FacilitatorCommand, type Phase,
} from '../../shared/session.js';
import { boardAccess, type BoardAccess, type Principal } from '../auth/principal.js';
import type { TokenSigner } from '../auth/tokens.js';
import type { PresenceRelay } from '../cluster/cluster-presence.js';
import type { BoardWriter } from '../docsync/board-writer.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { Logger } from '../lib/logger.js';
import type { RejectReason } from '../lib/metrics.js';
import type { Store } from '../store/store.js';
import { WorkshopDeletedError, type ErasedWorkshops } from '../workshops/erased-workshops.js';
import { newId } from '../workshops/workshop-service.js';
import { ActivityFigures } from './activity-figures.js';
import type { ActivityTracker } from './activity-tracker.js';
import { ErrorCode, ok, refuse, type CommandContext, type Reply } from './command-context.js';
import { commandSchema } from './command-schema.js';
import { holdCard, releaseCard, revealHeld } from './held-cards.js';
import { overlayBallotRows } from './ballot-rows.js';
import { PRESENCE_INTERVAL, SessionThrottle, VOTES_INTERVAL } from './session-throttle.js';
import { moveParticipant, removeParticipant } from './roster-commands.js';
import type { Emit, EmitVotes, SessionEvents } from './session-events.js';
import { announceVotes, closeRound, learnCardTexts, markDone, openRound, placeDots } from './voting-commands.js';
import { SessionCache } from './session-cache.js';
import type { SessionSync } from './session-sync.js';
import { readSessionRecord, SESSION_RECORD_VERSION } from './session-record.js';
import { KEPT_ANNOUNCEMENTS, WorkshopSession, type SessionRecord } from './workshop-session.js';

export type { SessionEvents } from './session-events.js';

export interface SessionServiceDeps {
  store: Store;
  registry: BoardRegistry;
  /** How commands write into boards (revealed private cards): through the write guard. */
  writer: BoardWriter;
  signer: TokenSigner;
  activity: ActivityTracker;
  log: Logger;
  now?: () => number;
  /** Counts commands refused for their shape or their sender's role (metrics). */
  rejected?: (reason: RejectReason) => void;
  /** Workshops deleted: their sessions never load again. */
  erased?: ErasedWorkshops;
  /** A session nobody uses (no socket, no board in memory, no command) leaves memory after this long (default 10 min). */
  idleMs?: number;
  /** Cluster mode: who is online on the other nodes, and this node's people to them (server/cluster/cluster-presence.ts). */
  presence?: PresenceRelay;
  /** Cluster mode: commands serialised across the nodes, on the record as stored, and told to the others. */
  sync?: SessionSync;
  /** Cluster mode: a participant removed through another node (its board sockets here are closed). */
  removedElsewhere?: (workshopId: string, participantId: string) => void;
}

const DEFAULT_IDLE_MS = 10 * 60_000;

/** The longest delay setTimeout takes; a longer one fires after 1 ms. Longer timers are re-armed on waking. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;



export class SessionService {
  readonly #deps: SessionServiceDeps;
  readonly #now: () => number;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #listeners: Array<Partial<SessionEvents>> = [];
  readonly #presence = new SessionThrottle(PRESENCE_INTERVAL, (session) => {
    this.#deps.presence?.publish(session); // coalesced like the announcement: one message per interval
    this.#emit('presence', session.workshopId, session.presence());
    this.#emit('roster', session.workshopId, session.roster());
  });
  // Queued as a command of the workshop: never interleaved with a round's close.
  readonly #votes = new SessionThrottle(VOTES_INTERVAL, (session) => {
    this.#exclusive(session, () => announceVotes({ session, emitVotes: this.#emitVotes, registry: this.#deps.registry }))
      .catch((err: unknown) => this.#deps.log.error('announcing the vote failed', { workshop: session.workshopId, err }));
  });
  readonly #figures: ActivityFigures;
  readonly #cache: SessionCache;
  /** Participants being read because another node has them online (one read per workshop at a time). */
  readonly #learning = new Map<string, Promise<void>>();
  /** Workshops whose refresh from the store is queued and not begun (cluster mode). */
  readonly #refreshQueued = new Map<string, Promise<void>>();

  constructor(deps: SessionServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#figures = new ActivityFigures({
      registry: deps.registry,
      tracker: deps.activity,
      session: (workshopId) => this.#cache.peek(workshopId),
      push: (workshopId, activity) => this.#emit('activity', workshopId, activity),
    });
    this.#cache = new SessionCache({
      load: (w) => this.#load(w),
      // A board in memory asks the session, on every update, who may write to it.
      mayEvict: (session) => !deps.registry.holdsWorkshop(session.workshopId),
      forgotten: (w) => {
        clearTimeout(this.#timers.get(w));
        this.#timers.delete(w);
        this.#presence.forget(w);
        this.#votes.forget(w);
        this.#figures.forgetWorkshop(w);
        deps.activity.forgetWorkshop(w);
        deps.presence?.unwatch(w);
      },
      idleMs: deps.idleMs ?? DEFAULT_IDLE_MS,
      now: this.#now,
      log: deps.log,
      erased: deps.erased,
    });
  }

  on(listener: Partial<SessionEvents>): void {
    this.#listeners.push(listener);
  }

  readonly #emit: Emit = (event, ...args) => {
    for (const l of this.#listeners) (l[event] as ((...a: typeof args) => void) | undefined)?.(...args);
  };

  // Never rejects: what waits for an announcement (the next one, a round's open or close) goes on.
  readonly #emitVotes: EmitVotes = async (workshopId, announcement) => {
    try {
      await Promise.all(this.#listeners.map((l) => l.votes?.(workshopId, announcement)));
    } catch (err) {
      this.#deps.log.error('sending the vote announcement failed', { workshop: workshopId, err });
    }
  };

  /** The workshop's session, loaded once and kept while it is used (session-cache.ts). */
  open(workshopId: string): Promise<WorkshopSession> {
    return this.#cache.open(workshopId);
  }

  async #load(workshopId: string): Promise<WorkshopSession> {
    const { store } = this.#deps;
    const [workshop, groups, participants, stored] = await Promise.all([
      store.getWorkshop(workshopId), store.listGroups(workshopId), store.listParticipants(workshopId), store.loadSession(workshopId),
    ]);
    if (!workshop) throw new Error(`no workshop ${workshopId}`);
    const record = stored ? this.#read(workshopId, stored) : newRecord(defaultAgenda(workshop.language, () => newId(6)));
    const round = record.state.round;
    if (round) {
      // Dots are stored one ballot a row: the record holds them as of its last write.
      const rows = await store.loadBallots(workshopId, round.id);
      Object.assign(record, overlayBallotRows(record, rows, (participant) => {
        this.#deps.log.error('a stored ballot cannot be read; it is left out of the count', { workshop: workshopId, participant });
      }));
    }
    // Other nodes announce this workshop's ranking too: this one's memory of what was told is not the room's.
    const session = new WorkshopSession(workshopId, workshop.joinCode, groups.map((g) => g.id), record, participants, { announceChanges: !this.#deps.sync });
    // Time that ran out while no server held the session: apply it before anyone reads the state.
    if (this.#deps.sync && isTimeUp(session.state.timer, this.#now())) {
      // Another node may hold the session and apply it too: under the workshop's lock, once.
      await this.#exclusive(session, async () => {
        if (isTimeUp(session.state.timer, this.#now())) await this.#commit(session, session.toRecord({ state: onTimeUp(session.state, session.groupIds) }));
      });
    } else if (isTimeUp(session.state.timer, this.#now())) {
      const next = { ...session.toRecord({ state: onTimeUp(session.state, session.groupIds) }), rev: session.rev + 1 };
      await store.saveSession(workshopId, JSON.stringify(next));
      session.apply(next);
    }
    this.#scheduleTimeUp(session);
    await this.#deps.presence?.watch(session, () => this.#onlineElsewhereChanged(session));
    return session;
  }

  /** Other nodes' people changed: announced with this node's, once participants who joined elsewhere are read. */
  #onlineElsewhereChanged(session: WorkshopSession): void {
    if (session.unknownElsewhere().length === 0) return this.#presence.changed(session);
    let learning = this.#learning.get(session.workshopId);
    if (!learning) {
      learning = this.#deps.store.listParticipants(session.workshopId).then((all) => {
        for (const p of all) if (!session.participants.has(p.id)) session.participants.set(p.id, p);
      }).catch((err: unknown) => this.#deps.log.warn('could not read participants who joined through another node', { workshop: session.workshopId, err }))
        .finally(() => this.#learning.delete(session.workshopId));
      this.#learning.set(session.workshopId, learning);
    }
    // Unless the session left memory meanwhile (its throttle was dropped with it).
    void learning.then(() => this.#cache.pending(session.workshopId) && this.#presence.changed(session));
  }

  /**
   * A workshop being deleted (already in `erased`): everyone connected is told, a command
   * under way finishes, and its session leaves memory for good.
   */
  async erase(workshopId: string, { tell = true } = {}): Promise<void> {
    const session = await this.#cache.pending(workshopId)?.catch(() => null);
    // Deleted through another node (cluster mode): that node told everyone, on every node.
    if (tell) this.#emit('deleted', workshopId);
    if (session) await session.run(async () => undefined);
    this.#cache.forget(workshopId);
  }

  /** The stored record, upgraded; one that cannot be read is reported and left as it is. */
  #read(workshopId: string, stored: string): SessionRecord {
    try {
      return readSessionRecord(stored);
    } catch (err) {
      this.#deps.log.error('the stored session of a workshop cannot be read; the workshop stays closed and its record untouched', { workshop: workshopId, err });
      throw err;
    }
  }

  /** Stores a new workshop's first session record, with the template's agenda or the default. */
  async initialize(workshop: Workshop, agenda: Array<Omit<Phase, 'id'>> | null): Promise<void> {
    const phases = agenda ? agenda.map((p) => ({ ...p, id: newId(6) })) : defaultAgenda(workshop.language, () => newId(6));
    await this.#deps.store.saveSession(workshop.id, JSON.stringify(newRecord(phases)));
  }

  /** Someone has the workshop open on the facilitation channel. */
  isOnline(workshopId: string): boolean {
    return (this.#cache.peek(workshopId)?.onlineCount ?? 0) > 0;
  }

  /** Sessions held in memory. */
  get loadedCount(): number {
    return this.#cache.loadedCount;
  }

  /** The loaded session, synchronously (boards call `open` before they ask). */
  peek(workshopId: string): WorkshopSession | undefined {
    return this.#cache.peek(workshopId);
  }

  /** What a principal may do with a board now: its current group, removal and locks included. */
  boardAccess(principal: Principal, workshopId: string, groupId: string): BoardAccess {
    const access = this.memberAccess(principal, workshopId, groupId);
    return access === 'write' && this.#cache.peek(workshopId)?.state.lockedGroups.includes(groupId) ? 'read' : access;
  }

  /** What a principal's role and current group allow with a board, locks aside (removal included). */
  memberAccess(principal: Principal, workshopId: string, groupId: string): BoardAccess {
    const session = this.#cache.peek(workshopId);
    if (!session) return 'none';
    let who = principal;
    if (principal.role === 'participant') {
      const p = session.activeParticipant(principal.participantId);
      if (!p) return 'none';
      who = { ...principal, groupId: p.groupId };
    }
    return boardAccess(who, workshopId, groupId);
  }

  /** A participant joined: add it to the roster if its session is loaded. */
  async participantJoined(p: Participant): Promise<void> {
    const session = this.#cache.peek(p.workshopId);
    if (!session) return;
    session.participants.set(p.id, p);
    // A room joining at once: the roster goes out throttled with presence.
    this.#presence.changed(session);
  }

  /**
   * A participant this node's session has not heard of joined through another node
   * (cluster mode): read from the store (before the next notice or command would).
   */
  async learnParticipant(principal: Principal): Promise<void> {
    const session = this.#cache.peek(principal.workshopId);
    if (!session || principal.participantId === null || session.participants.has(principal.participantId)) return;
    const p = await this.#deps.store.getParticipant(principal.participantId);
    if (!p || p.workshopId !== principal.workshopId || session.participants.has(p.id)) return;
    session.participants.set(p.id, p);
    this.#presence.changed(session);
  }

  async connected(principal: Principal): Promise<WorkshopSession> {
    const session = await this.open(principal.workshopId);
    await this.learnParticipant(principal);
    session.connected(principal);
    this.#cache.used(session);
    this.#presence.changed(session);
    return session;
  }

  disconnected(principal: Principal): void {
    const session = this.#cache.peek(principal.workshopId);
    if (!session) return;
    session.disconnected(principal);
    this.#cache.used(session);
    this.#presence.changed(session);
  }

  async execute(principal: Principal, raw: unknown): Promise<Reply> {
    // VALIDATION of the shape comes first: without a type we cannot say who may send it.
    const parsed = commandSchema.safeParse(raw);
    if (!parsed.success) {
      this.#deps.rejected?.('bad_command');
      return refuse(ErrorCode.BadRequest, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const command = parsed.data;
    // AUTH
    if (!COMMAND_ROLES[command.type].includes(principal.role)) {
      this.#deps.rejected?.('forbidden');
      return refuse(ErrorCode.Forbidden, `${principal.role} may not ${command.type}`);
    }
    let session: WorkshopSession;
    try {
      session = await this.open(principal.workshopId);
    } catch (err) {
      if (err instanceof WorkshopDeletedError) return refuse(ErrorCode.NotFound, 'this workshop was deleted');
      this.#deps.log.error('could not load a session', { workshop: principal.workshopId, err });
      return refuse(ErrorCode.Internal, 'the workshop could not be loaded; nothing was changed');
    }
    const removed = () => principal.role === 'participant' && !session.activeParticipant(principal.participantId);
    if (removed()) return refuse(ErrorCode.Unauthorized, 'you were removed from this workshop');
    // RESOLUTION, one command at a time per workshop (across nodes in cluster mode)
    const resolve = async (): Promise<Reply> => {
      if (removed()) return refuse(ErrorCode.Unauthorized, 'you were removed from this workshop'); // through another node meanwhile
      const reply = await this.#resolve(this.#context(session, principal), command);
      // A refused command changed nothing; a link is no one else's business.
      if (reply.ok && command.type !== 'link:create') session.changes++;
      return reply;
    };
    return this.#exclusive(session, resolve).catch((err: unknown) => {
      this.#deps.log.error('command failed', { type: command.type, workshop: session.workshopId, err });
      return refuse(ErrorCode.Internal, 'the command could not be completed; nothing was changed');
    });
  }

  /**
   * Runs a task of the workshop: one at a time here; in cluster mode also across the nodes,
   * first reading what the others stored, and, when it changed something, telling them
   * before it ends (so a command's ack never comes before the other nodes were told).
   */
  #exclusive<T>(session: WorkshopSession, task: () => Promise<T>): Promise<T> {
    const sync = this.#deps.sync;
    if (!sync) return session.run(task);
    return session.run(() =>
      sync.exclusive(session.workshopId, async () => {
        await this.#refresh(session, true);
        const before = session.changes;
        const result = await task();
        if (session.changes !== before) await sync.changed(session.workshopId, session.rev, JSON.stringify(session.toRecord()));
        return result;
      }),
    );
  }

  /**
   * Reads the workshop's session as stored (record, ballots, participants) into this copy
   * (cluster mode). `authoritative`: under the workshop's lock, where the store is the truth;
   * otherwise a record older than the one held (a read overtaken by a message) is not applied.
   */
  async #refresh(session: WorkshopSession, authoritative: boolean): Promise<void> {
    const { store } = this.#deps;
    const w = session.workshopId;
    const [stored, participants] = await Promise.all([store.loadSession(w), store.listParticipants(w)]);
    if (stored !== null) {
      const record = this.#read(w, stored);
      if (authoritative || (record.rev ?? 0) >= session.rev) {
        const round = record.state.round;
        if (round) {
          const rows = await store.loadBallots(w, round.id);
          Object.assign(record, overlayBallotRows(record, rows, () => undefined)); // reported when the session loaded
        }
        session.apply(record);
        this.#scheduleTimeUp(session);
      }
    }
    for (const p of participants) {
      const held = session.participants.get(p.id);
      session.participants.set(p.id, p);
      if (held && held.removedAt === null && p.removedAt !== null) this.#deps.removedElsewhere?.(w, p.id);
    }
  }

  /** Reads the session from the store in its turn (after the commands queued here); several asks while one waits make one read. */
  #queueRefresh(session: WorkshopSession): Promise<void> {
    const w = session.workshopId;
    const queued = this.#refreshQueued.get(w);
    if (queued) return queued;
    const refresh = session
      .run(() => {
        this.#refreshQueued.delete(w);
        return this.#refresh(session, false);
      })
      .catch((err: unknown) => this.#deps.log.warn('could not read a session another node changed; the next command reads it', { workshop: w, err }));
    this.#refreshQueued.set(w, refresh);
    return refresh;
  }

  /** Someone joined through another node (cluster mode): the roster is read, and this node's consoles get it as after a join here. */
  joinedElsewhere(workshopId: string): void {
    const session = this.#cache.peek(workshopId);
    if (session) void this.#queueRefresh(session).then(() => this.#presence.changed(session));
  }

  /**
   * Another node stored the workshop's record `rev` (cluster mode). A newer record than
   * this copy's applies at once — a lock holds on this node's board sockets from now on —
   * and the rest (ballots, roster) is read from the store in the session's turn. Nothing is
   * sent to sockets: the node that ran the command told every node's sockets already.
   */
  changedElsewhere(workshopId: string, rev: number, recordText: string): void {
    const session = this.#cache.peek(workshopId);
    if (!session) {
      // Loading: it may have read the store before this change.
      void this.#cache.pending(workshopId)?.then((s) => void this.#queueRefresh(s), () => undefined);
      return;
    }
    if (rev > session.rev) {
      try {
        session.applyShared(readSessionRecord(recordText));
        this.#scheduleTimeUp(session);
      } catch (err) {
        this.#deps.log.error('another node’s session record cannot be read; reading it from the store', { workshop: workshopId, err });
      }
    }
    // Who is online and the roster go out per node (to its own sockets): a move or removal there is sent here once read.
    void this.#queueRefresh(session).then(() => this.#presence.changed(session));
  }

  /**
   * Messages from other nodes may have been lost (Redis was away), and so may broadcasts to
   * this node's sockets: every session held reads the store again and its sockets here get
   * the state as stored.
   */
  refreshAll(): void {
    for (const session of this.#cache.loaded()) {
      session
        .run(() => this.#refresh(session, false))
        .then(() => this.#emit('resync', session.workshopId, session.state))
        .catch((err: unknown) => this.#deps.log.warn('could not read a session again after Redis came back', { workshop: session.workshopId, err }));
    }
  }

  /** Stores the next record, then makes it current. */
  async #commit(session: WorkshopSession, proposed: SessionRecord): Promise<void> {
    const next = { ...proposed, rev: session.rev + 1 };
    await this.#deps.store.saveSession(session.workshopId, JSON.stringify(next));
    const phaseBefore = session.state.phaseIndex;
    session.apply(next);
    session.changes++;
    this.#emit('state', session.workshopId, session.state);
    this.#scheduleTimeUp(session);
    const phase = session.state.agenda[session.state.phaseIndex];
    if (session.state.phaseIndex !== phaseBefore && phase) this.#emit('phaseChanged', session.workshopId, phase.name);
  }

  #context(session: WorkshopSession, principal: Principal): CommandContext {
    const ctx: CommandContext = {
      session,
      principal,
      now: this.#now(),
      store: this.#deps.store,
      registry: this.#deps.registry,
      writer: this.#deps.writer,
      emit: this.#emit,
      emitVotes: this.#emitVotes,
      commit: (next) => this.#commit(session, next),
      votesChanged: () => this.#votes.changed(session),
      applyRule: async (command: FacilitatorCommand, extra = {}) => {
        const result = applyFacilitatorCommand(session.state, command, { now: ctx.now, groupIds: session.groupIds });
        if (!result.ok) return refuse(result.error === 'not_found' ? ErrorCode.NotFound : ErrorCode.BadRequest, result.message);
        await this.#commit(session, session.toRecord({ ...extra, state: result.state }));
        return ok();
      },
    };
    return ctx;
  }

  async #resolve(ctx: CommandContext, command: Command): Promise<Reply> {
    const { session } = ctx;
    switch (command.type) {
      case 'agenda:set':
        return ctx.applyRule({ type: 'agenda:set', agenda: command.agenda.map((p) => ({ ...p, id: p.id ?? newId(6) })) });
      case 'vote:open': {
        const { type: _type, ...round } = command;
        return openRound(ctx, round);
      }
      case 'vote:close':
        return closeRound(ctx);
      case 'vote:set':
        return placeDots(ctx, command.groupId, command.cardId, command.dots);
      case 'vote:done':
        return markDone(ctx, command.done);
      case 'card:add-private':
        return holdCard(ctx, command.text, command.color);
      case 'card:remove-private':
        return releaseCard(ctx, command.id);
      case 'private:reveal':
        return revealHeld(ctx);
      case 'participant:move':
        return moveParticipant(ctx, command.participantId, command.groupId);
      case 'participant:remove':
        return removeParticipant(ctx, command.participantId);
      case 'announce': {
        if (command.groupId !== null && !session.groupIds.includes(command.groupId)) return refuse(ErrorCode.NotFound, 'no such group');
        const announcement = { text: command.text, groupId: command.groupId, at: ctx.now };
        await ctx.commit(session.toRecord({ announcements: [...session.announcements, announcement].slice(-KEPT_ANNOUNCEMENTS) }));
        ctx.emit('announcement', session.workshopId, announcement);
        return ok();
      }
      case 'link:create': {
        const token = await this.#deps.signer.sign({ workshopId: session.workshopId, role: command.role });
        const page = { facilitator: 'facilitate', projector: 'present', organizer: 'export', rapporteur: 'plenary' }[command.role];
        return ok({ link: `/w/${session.workshopId}/${page}#k=${token}` });
      }
      default:
        return ctx.applyRule(command);
    }
  }

  // ---- timer ------------------------------------------------------------------

  #scheduleTimeUp(session: WorkshopSession): void {
    const previous = this.#timers.get(session.workshopId);
    if (previous) clearTimeout(previous);
    this.#timers.delete(session.workshopId);
    const timer = session.state.timer;
    if (timer.status !== 'running') return;
    const handle = setTimeout(() => {
      this.#timers.delete(session.workshopId);
      // Every node holding the session arms it; under the workshop's lock, the first applies it and the others find it done.
      this.#exclusive(session, async () => {
        if (!isTimeUp(session.state.timer, this.#now())) return this.#scheduleTimeUp(session);
        await this.#commit(session, session.toRecord({ state: onTimeUp(session.state, session.groupIds) }));
      }).catch((err: unknown) => this.#deps.log.error('time-up failed', { workshop: session.workshopId, err }));
    }, Math.min(Math.max(0, timer.endsAt - this.#now()), MAX_TIMEOUT_MS));
    handle.unref();
    this.#timers.set(session.workshopId, handle);
  }

  /** The texts of the cards an open round ranks, for a snapshot (after a restart nothing knows them yet). */
  async learnCardTexts(session: WorkshopSession): Promise<void> {
    if (session.state.round?.status === 'open') await learnCardTexts(this.#deps.registry, session).catch(() => undefined);
  }

  // ---- activity ---------------------------------------------------------------

  /** Per-group figures for the facilitator's console. */
  activity(session: WorkshopSession): Promise<GroupActivity[]> {
    return this.#figures.activity(session);
  }

  /** A board's change was stored (its console's figures follow within a second). */
  boardChanged(name: string): void {
    this.#figures.boardChanged(name);
  }

  close(): void {
    this.#figures.close();
    this.#cache.close();
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#presence.close();
    this.#votes.close();
  }
}

function newRecord(agenda: Phase[]): SessionRecord {
  return { version: SESSION_RECORD_VERSION, state: initialSession(agenda), ballots: {}, done: [], heldCards: [], announcements: [] };
}
