// The facilitated session's state and its rules, as pure functions. The server is
// the authority: it runs `applyFacilitatorCommand` and broadcasts the result; clients
// only render it. Times are server epoch milliseconds.
import { PLENARY_BOARD } from './doc-name.js';
import type { Language } from './model.js';

export const PHASE_KINDS = ['welcome', 'groupwork', 'brainstorm', 'voting', 'plenary', 'closing'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

export interface Phase {
  id: string;
  name: string;
  durationSec: number;
  kind: PhaseKind;
}

export type TimerState =
  | { status: 'idle'; durationMs: number }
  | { status: 'running'; durationMs: number; endsAt: number }
  | { status: 'paused'; durationMs: number; remainingMs: number };

export type ResultsVisibility = 'live' | 'on-close';

export interface RankedCard {
  groupId: string;
  cardId: string;
  dots: number;
  voters: number;
  /**
   * The card's text as the server last read it (when a dot was placed on it, and at the
   * close, which freezes it): every screen can show it without opening the card's board.
   */
  text?: string;
  /** A cluster (`cardId` is `cluster:<id>`, `text` its title): its cards' texts, in board order. */
  cards?: string[];
}

export interface VotingRound {
  id: string;
  /** The groups whose cards are on the ballot. */
  groupIds: string[];
  budget: number;
  maxPerCard: number;
  results: ResultsVisibility;
  status: 'open' | 'closed';
  openedAt: number;
  closedAt: number | null;
  /** Frozen at close, best first. */
  ranking: RankedCard[] | null;
}

export interface Spotlight {
  groupId: string | null;
  /** Every participant's screen follows the spotlighted board until released. */
  follow: boolean;
}

export interface SessionState {
  agenda: Phase[];
  /** -1 before the first phase starts. */
  phaseIndex: number;
  timer: TimerState;
  /** Lock every board when a phase's time runs out. */
  autoLock: boolean;
  lockedGroups: string[];
  /** Boards that time running out locked (auto-lock): the next phase, or more time, opens them again. */
  timeUpLocked: string[];
  spotlight: Spotlight;
  /** New cards are held by the server, each visible only to its author, until revealed. */
  privateCards: boolean;
  /**
   * Anonymous ideas: cards written or revealed while it is on carry no author, for anyone
   * (the server blanks it before a board stores it). On until the facilitator turns it off.
   */
  anonymous: boolean;
  round: VotingRound | null;
}

export const SESSION_LIMITS = {
  phases: 30,
  phaseName: 80,
  maxPhaseSec: 24 * 3600,
  maxAddSec: 3600,
  maxBudget: 50,
  announcement: 500,
} as const;

const PHASE_NAMES: Record<Language, Record<PhaseKind, string>> = {
  es: { welcome: 'Bienvenida', groupwork: 'Trabajo en grupos', brainstorm: 'Lluvia de ideas', voting: 'Votación', plenary: 'Plenaria', closing: 'Cierre' },
  en: { welcome: 'Welcome', groupwork: 'Group work', brainstorm: 'Brainstorming', voting: 'Voting', plenary: 'Plenary', closing: 'Closing' },
  pt: { welcome: 'Boas-vindas', groupwork: 'Trabalho em grupos', brainstorm: 'Chuva de ideias', voting: 'Votação', plenary: 'Plenária', closing: 'Encerramento' },
};

export function defaultAgenda(language: Language, newId: () => string): Phase[] {
  const names = PHASE_NAMES[language];
  const plan: Array<[PhaseKind, number]> = [['welcome', 10], ['groupwork', 45], ['voting', 10], ['plenary', 30], ['closing', 10]];
  return plan.map(([kind, minutes]) => ({ id: newId(), name: names[kind], durationSec: minutes * 60, kind }));
}

export function initialSession(agenda: Phase[]): SessionState {
  return {
    agenda,
    phaseIndex: -1,
    timer: { status: 'idle', durationMs: 0 },
    autoLock: false,
    lockedGroups: [],
    timeUpLocked: [],
    spotlight: { groupId: null, follow: false },
    privateCards: false,
    anonymous: false,
    round: null,
  };
}

// ---- timer --------------------------------------------------------------------

export function remainingMs(timer: TimerState, now: number): number {
  switch (timer.status) {
    case 'idle':
      return timer.durationMs;
    case 'paused':
      return timer.remainingMs;
    case 'running':
      return Math.max(0, timer.endsAt - now);
  }
}

export function isTimeUp(timer: TimerState, now: number): boolean {
  return timer.status === 'running' && timer.endsAt <= now;
}

export const currentPhase = (s: SessionState): Phase | null => s.agenda[s.phaseIndex] ?? null;

// ---- commands -----------------------------------------------------------------

export type FacilitatorCommand =
  | { type: 'agenda:set'; agenda: Phase[] }
  | { type: 'phase:start'; index: number }
  | { type: 'phase:next' }
  | { type: 'timer:pause' }
  | { type: 'timer:resume' }
  | { type: 'timer:add'; seconds: number }
  | { type: 'lock:set'; groupId: string | 'all'; locked: boolean }
  | { type: 'autolock:set'; enabled: boolean }
  | { type: 'spotlight:set'; groupId: string | null }
  | { type: 'follow:set'; follow: boolean }
  | { type: 'private:set'; enabled: boolean }
  | { type: 'anonymous:set'; enabled: boolean }
  | { type: 'vote:open'; round: Pick<VotingRound, 'id' | 'groupIds' | 'budget' | 'maxPerCard' | 'results'> }
  | { type: 'vote:close'; ranking: RankedCard[] };

export type CommandResult = { ok: true; state: SessionState } | { ok: false; error: 'bad_request' | 'not_found'; message: string };

const fail = (error: 'bad_request' | 'not_found', message: string): CommandResult => ({ ok: false, error, message });

/** Unlocks what time running out locked; what the facilitator locked stays locked. */
function releaseTimeUpLocks(s: SessionState): SessionState {
  const auto = new Set(s.timeUpLocked);
  return { ...s, lockedGroups: s.lockedGroups.filter((g) => !auto.has(g)), timeUpLocked: [] };
}

function startPhase(s: SessionState, index: number, now: number): SessionState {
  const phase = s.agenda[index];
  const durationMs = (phase?.durationSec ?? 0) * 1000;
  return { ...releaseTimeUpLocks(s), phaseIndex: index, timer: { status: 'running', durationMs, endsAt: now + durationMs } };
}

/**
 * The facilitator's commands. `groupIds` are the workshop's groups; `now` the server clock.
 * Returns a new state, or an error and no change.
 */
export function applyFacilitatorCommand(s: SessionState, c: FacilitatorCommand, ctx: { now: number; groupIds: string[] }): CommandResult {
  const { now, groupIds } = ctx;
  // The plenary board is locked, spotlighted and voted on like a group's; 'all' means the groups.
  const boards = [...groupIds, PLENARY_BOARD];
  switch (c.type) {
    case 'agenda:set': {
      if (c.agenda.length > SESSION_LIMITS.phases) return fail('bad_request', `at most ${SESSION_LIMITS.phases} phases`);
      // Keep the current phase current if it is still on the agenda.
      const currentId = currentPhase(s)?.id;
      const phaseIndex = currentId ? c.agenda.findIndex((p) => p.id === currentId) : -1;
      return { ok: true, state: { ...s, agenda: c.agenda, phaseIndex, ...(phaseIndex === -1 && s.phaseIndex !== -1 ? { timer: { status: 'idle', durationMs: 0 } } : {}) } };
    }
    case 'phase:start':
      if (!s.agenda[c.index]) return fail('not_found', 'no such phase');
      return { ok: true, state: startPhase(s, c.index, now) };
    case 'phase:next': {
      const next = s.phaseIndex + 1;
      if (!s.agenda[next]) return fail('bad_request', 'this is the last phase');
      return { ok: true, state: startPhase(s, next, now) };
    }
    case 'timer:pause':
      if (s.timer.status !== 'running') return fail('bad_request', 'the timer is not running');
      return { ok: true, state: { ...s, timer: { status: 'paused', durationMs: s.timer.durationMs, remainingMs: remainingMs(s.timer, now) } } };
    case 'timer:resume':
      if (s.timer.status !== 'paused') return fail('bad_request', 'the timer is not paused');
      return { ok: true, state: { ...s, timer: { status: 'running', durationMs: s.timer.durationMs, endsAt: now + s.timer.remainingMs } } };
    case 'timer:add': {
      const ms = c.seconds * 1000;
      const t = s.timer;
      if (t.status === 'idle') return fail('bad_request', 'no phase is running');
      const durationMs = Math.max(0, t.durationMs + ms);
      // More time after time ran out: the countdown goes on and the boards it locked open again.
      if (t.status === 'paused' && t.remainingMs === 0 && ms > 0) {
        return { ok: true, state: { ...releaseTimeUpLocks(s), timer: { status: 'running', durationMs, endsAt: now + ms } } };
      }
      const timer: TimerState =
        t.status === 'running'
          ? { status: 'running', durationMs, endsAt: Math.max(now, t.endsAt) + ms }
          : { status: 'paused', durationMs, remainingMs: Math.max(0, t.remainingMs + ms) };
      return { ok: true, state: { ...s, timer } };
    }
    case 'lock:set': {
      if (c.groupId !== 'all' && !boards.includes(c.groupId)) return fail('not_found', 'no such group');
      const targets = c.groupId === 'all' ? groupIds : [c.groupId];
      const locked = new Set(s.lockedGroups);
      for (const g of targets) {
        if (c.locked) locked.add(g);
        else locked.delete(g);
      }
      // The facilitator decides these boards now, not the timer.
      const timeUpLocked = s.timeUpLocked.filter((g) => !targets.includes(g));
      return { ok: true, state: { ...s, lockedGroups: boards.filter((g) => locked.has(g)), timeUpLocked } };
    }
    case 'autolock:set':
      return { ok: true, state: { ...s, autoLock: c.enabled } };
    case 'spotlight:set':
      if (c.groupId !== null && !boards.includes(c.groupId)) return fail('not_found', 'no such group');
      return { ok: true, state: { ...s, spotlight: { groupId: c.groupId, follow: c.groupId === null ? false : s.spotlight.follow } } };
    case 'follow:set':
      if (c.follow && s.spotlight.groupId === null) return fail('bad_request', 'spotlight a group first');
      return { ok: true, state: { ...s, spotlight: { ...s.spotlight, follow: c.follow } } };
    case 'private:set':
      return { ok: true, state: { ...s, privateCards: c.enabled } };
    case 'anonymous:set':
      return { ok: true, state: { ...s, anonymous: c.enabled } };
    case 'vote:open': {
      if (s.round?.status === 'open') return fail('bad_request', 'a voting round is already open');
      const { round } = c;
      if (round.groupIds.length === 0 || round.groupIds.some((g) => !boards.includes(g))) return fail('not_found', 'no such group');
      if (round.maxPerCard > round.budget) return fail('bad_request', 'the maximum per card exceeds the budget');
      return { ok: true, state: { ...s, round: { ...round, status: 'open', openedAt: now, closedAt: null, ranking: null } } };
    }
    case 'vote:close':
      if (s.round?.status !== 'open') return fail('bad_request', 'no voting round is open');
      return { ok: true, state: { ...s, round: { ...s.round, status: 'closed', closedAt: now, ranking: c.ranking } } };
  }
}

/**
 * What time running out does: the timer stops at zero and, with auto-lock, every board
 * locks — remembering which ones it locked, so the next phase opens those again.
 */
export function onTimeUp(s: SessionState, groupIds: string[]): SessionState {
  const timer: TimerState = { status: 'paused', durationMs: s.timer.durationMs, remainingMs: 0 };
  if (!s.autoLock) return { ...s, timer };
  const newlyLocked = groupIds.filter((g) => !s.lockedGroups.includes(g));
  return { ...s, timer, lockedGroups: [...groupIds, ...s.lockedGroups.filter((g) => g === PLENARY_BOARD)], timeUpLocked: [...s.timeUpLocked, ...newlyLocked] };
}
