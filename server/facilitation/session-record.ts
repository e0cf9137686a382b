// The session record as the store keeps it: versioned, and on load validated and brought
// to the current version by a chain of pure upgrade steps (one per version). A record that
// cannot be read is never "fixed" by replacing it: loading that workshop fails with
// `SessionRecordError`, and the stored record stays as it was for an operator to look at.
import { z } from 'zod';
import { CARD_COLORS } from '../../shared/board.js';
import type { Announcement, PrivateCard } from '../../shared/protocol.js';
import { PHASE_KINDS, type SessionState } from '../../shared/session.js';
import type { Ballot } from '../../shared/voting.js';

export const SESSION_RECORD_VERSION = 2;

export interface HeldCard extends PrivateCard {
  participantId: string;
  author: string;
}

/** What is stored, at the current version. */
export interface SessionRecord {
  version: typeof SESSION_RECORD_VERSION;
  state: SessionState;
  ballots: Record<string, Ballot>;
  done: string[];
  heldCards: HeldCard[];
  /** The latest announcements, newest last. */
  announcements: Announcement[];
  /** Raised by every stored change (absent before cluster mode: 0); nodes compare it to know which copy is newer. */
  rev?: number;
}

/** The stored record could not be read: the workshop is not loaded, and the record is left untouched. */
export class SessionRecordError extends Error {
  override readonly name = 'SessionRecordError';
  readonly code = 'session_record_invalid';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * UPGRADES[n] takes a record of version n to version n + 1. Pure, and careful with what
 * it has not checked yet: the result is validated as a whole after the last step.
 */
export const UPGRADES: Readonly<Record<number, (record: Json) => Json>> = {
  // Version 1 left `announcements` and `state.timeUpLocked` out when a record was written
  // before they existed; version 2 always has both.
  1: (r) => ({
    ...r,
    version: 2,
    announcements: r.announcements ?? [],
    state: isObject(r.state) ? { ...r.state, timeUpLocked: r.state.timeUpLocked ?? [] } : r.state,
  }),
};

// Validation checks every field the server relies on; fields it does not know are kept
// as they are (loose objects), so reading a record never drops what is in it.
const id = z.string().min(1);
const count = z.number().int().min(0);
const phase = z.looseObject({ id, name: z.string(), durationSec: count, kind: z.enum(PHASE_KINDS) });
const timer = z.discriminatedUnion('status', [
  z.looseObject({ status: z.literal('idle'), durationMs: count }),
  z.looseObject({ status: z.literal('running'), durationMs: count, endsAt: z.number() }),
  z.looseObject({ status: z.literal('paused'), durationMs: count, remainingMs: count }),
]);
const rankedCard = z.looseObject({ groupId: id, cardId: id, dots: count, voters: count, text: z.string().optional(), cards: z.array(z.string()).optional() });
const round = z.looseObject({
  id,
  groupIds: z.array(id),
  budget: count,
  maxPerCard: count,
  results: z.enum(['live', 'on-close']),
  status: z.enum(['open', 'closed']),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
  ranking: z.array(rankedCard).nullable(),
});
const state = z.looseObject({
  agenda: z.array(phase),
  phaseIndex: z.number().int().min(-1),
  timer,
  autoLock: z.boolean(),
  lockedGroups: z.array(id),
  timeUpLocked: z.array(id),
  spotlight: z.looseObject({ groupId: id.nullable(), follow: z.boolean() }),
  privateCards: z.boolean(),
  // Records from before anonymous ideas have none: off.
  anonymous: z.boolean().default(false),
  round: round.nullable(),
});
const heldCard = z.looseObject({
  id, groupId: id, text: z.string(), color: z.enum(CARD_COLORS), createdAt: z.number(), participantId: id, author: z.string(),
});
const announcement = z.looseObject({ text: z.string(), groupId: id.nullable(), at: z.number() });

export const sessionRecordSchema = z.looseObject({
  version: z.literal(SESSION_RECORD_VERSION),
  state,
  ballots: z.record(z.string(), z.record(z.string(), count)),
  done: z.array(id),
  heldCards: z.array(heldCard),
  announcements: z.array(announcement),
  rev: count.optional(),
}) satisfies z.ZodType<SessionRecord>;

/** A stored record, upgraded to the current version and validated; throws `SessionRecordError`. */
export function readSessionRecord(stored: string): SessionRecord {
  let record: unknown;
  try {
    record = JSON.parse(stored);
  } catch {
    throw new SessionRecordError('the stored session is not JSON');
  }
  if (!isObject(record)) throw new SessionRecordError('the stored session is not an object');
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SessionRecordError(`the stored session has no valid version (${JSON.stringify(version)})`);
  }
  if (version > SESSION_RECORD_VERSION) {
    throw new SessionRecordError(`the stored session is version ${version}, written by a newer Relatoría (this one reads up to ${SESSION_RECORD_VERSION})`);
  }
  let upgraded: Json = record;
  for (let v = version; v < SESSION_RECORD_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) throw new Error(`no upgrade from session record version ${v}`);
    upgraded = step(upgraded);
  }
  const parsed = sessionRecordSchema.safeParse(upgraded);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`);
    throw new SessionRecordError(`the stored session (version ${version}) is invalid: ${issues.join('; ')}`);
  }
  return parsed.data;
}
