// Validation of commands arriving on the Socket.IO channel: shape, types and limits.
import { z } from 'zod';
import { BOARD_LIMITS, CARD_COLORS } from '../../shared/board.js';
import { PHASE_KINDS, SESSION_LIMITS } from '../../shared/session.js';
import type { Command } from '../../shared/protocol.js';

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().transform((s) => s.normalize('NFC').trim()).pipe(z.string().min(1).max(max));

const phase = z.object({
  id: id.optional(),
  name: text(SESSION_LIMITS.phaseName),
  durationSec: z.number().int().min(0).max(SESSION_LIMITS.maxPhaseSec),
  kind: z.enum(PHASE_KINDS),
});

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agenda:set'), agenda: z.array(phase).max(SESSION_LIMITS.phases) }),
  z.object({ type: z.literal('phase:start'), index: z.number().int().min(0) }),
  z.object({ type: z.literal('phase:next') }),
  z.object({ type: z.literal('timer:pause') }),
  z.object({ type: z.literal('timer:resume') }),
  z.object({ type: z.literal('timer:add'), seconds: z.number().int().min(-SESSION_LIMITS.maxAddSec).max(SESSION_LIMITS.maxAddSec) }),
  z.object({ type: z.literal('lock:set'), groupId: id, locked: z.boolean() }),
  z.object({ type: z.literal('autolock:set'), enabled: z.boolean() }),
  z.object({ type: z.literal('spotlight:set'), groupId: id.nullable() }),
  z.object({ type: z.literal('follow:set'), follow: z.boolean() }),
  z.object({ type: z.literal('private:set'), enabled: z.boolean() }),
  z.object({ type: z.literal('anonymous:set'), enabled: z.boolean() }),
  z.object({ type: z.literal('private:reveal') }),
  z.object({
    type: z.literal('vote:open'),
    groupIds: z.array(id).min(1).max(100),
    budget: z.number().int().min(1).max(SESSION_LIMITS.maxBudget),
    maxPerCard: z.number().int().min(1).max(SESSION_LIMITS.maxBudget),
    results: z.enum(['live', 'on-close']),
  }),
  z.object({ type: z.literal('vote:close') }),
  z.object({ type: z.literal('announce'), text: text(SESSION_LIMITS.announcement), groupId: id.nullable() }),
  z.object({ type: z.literal('participant:move'), participantId: id, groupId: id }),
  z.object({ type: z.literal('participant:remove'), participantId: id }),
  z.object({ type: z.literal('link:create'), role: z.enum(['facilitator', 'projector', 'organizer', 'rapporteur']) }),
  z.object({ type: z.literal('card:add-private'), text: text(BOARD_LIMITS.cardText), color: z.enum(CARD_COLORS) }),
  z.object({ type: z.literal('card:remove-private'), id }),
  // A card's id, or `cluster:<id>` for a cluster voted on as one.
  z.object({ type: z.literal('vote:set'), groupId: id, cardId: z.string().min(1).max(BOARD_LIMITS.id + 8), dots: z.number().int().min(0).max(SESSION_LIMITS.maxBudget) }),
  z.object({ type: z.literal('vote:done'), done: z.boolean() }),
]) satisfies z.ZodType<Command, unknown>;
