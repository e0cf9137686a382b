// The facilitator moves a participant to another group or removes it (its token
// stops working at once: the authenticator reads `removedAt`).
import { ErrorCode, ok, refuse, type CommandContext, type Reply } from './command-context.js';

export async function moveParticipant(ctx: CommandContext, participantId: string, groupId: string): Promise<Reply> {
  const { session } = ctx;
  const p = session.activeParticipant(participantId);
  if (!p) return refuse(ErrorCode.NotFound, 'no such participant');
  if (!session.groupIds.includes(groupId)) return refuse(ErrorCode.NotFound, 'no such group');
  await ctx.store.moveParticipant(participantId, groupId);
  session.participants.set(participantId, { ...p, groupId });
  ctx.emit('moved', session.workshopId, participantId, groupId);
  ctx.emit('roster', session.workshopId, session.roster());
  ctx.emit('presence', session.workshopId, session.presence());
  return ok();
}

export async function removeParticipant(ctx: CommandContext, participantId: string): Promise<Reply> {
  const { session } = ctx;
  const p = session.activeParticipant(participantId);
  if (!p) return refuse(ErrorCode.NotFound, 'no such participant');
  await ctx.store.removeParticipant(participantId, ctx.now);
  session.participants.set(participantId, { ...p, removedAt: ctx.now });
  ctx.emit('removed', session.workshopId, participantId);
  ctx.emit('roster', session.workshopId, session.roster());
  // A removed participant's dots no longer count.
  if (session.ballots.has(participantId)) ctx.votesChanged();
  return ok();
}
