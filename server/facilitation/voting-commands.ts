// Dot voting: rounds opened and closed by the facilitator, ballots held here.
// Only active participants' ballots count; a card must exist on its board to get dots.
import { listCards } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import type { RankedCard, ResultsVisibility } from '../../shared/session.js';
import { rank, setDots } from '../../shared/voting.js';
import type { Principal } from '../auth/principal.js';
import type { BoardRegistry } from '../docsync/registry.js';
import { newId } from '../workshops/workshop-service.js';
import { ErrorCode, ok, refuse, type CommandContext, type Reply } from './command-context.js';
import type { WorkshopSession } from './workshop-session.js';

/** The ranking over the ballots of participants still in the workshop. */
export const tally = (session: WorkshopSession): RankedCard[] => rank(session.activeBallots());

/** The ranking a principal may see now, or null. */
export function visibleRanking(session: WorkshopSession, principal: Principal): RankedCard[] | null {
  const round = session.state.round;
  if (!round) return null;
  if (round.status === 'closed') return round.ranking;
  return round.results === 'live' || principal.role === 'facilitator' ? tally(session) : null;
}

export function announceVotes(ctx: Pick<CommandContext, 'session' | 'emit'>): void {
  const { session, emit } = ctx;
  const progress = session.voteProgress();
  if (progress) emit('voteProgress', session.workshopId, progress);
  const round = session.state.round;
  if (round?.status === 'open') emit('ranking', session.workshopId, tally(session), round.results === 'live');
}

export async function openRound(ctx: CommandContext, round: { groupIds: string[]; budget: number; maxPerCard: number; results: ResultsVisibility }): Promise<Reply> {
  const reply = await ctx.applyRule({ type: 'vote:open', round: { ...round, id: newId(6) } }, { ballots: {}, done: [] });
  if (reply.ok) announceVotes(ctx);
  return reply;
}

export async function closeRound(ctx: CommandContext): Promise<Reply> {
  const ranking = await withExistingCards(ctx.registry, ctx.session.workshopId, tally(ctx.session));
  const reply = await ctx.applyRule({ type: 'vote:close', ranking });
  if (reply.ok) ctx.emit('ranking', ctx.session.workshopId, ranking, true);
  return reply;
}

export async function placeDots(ctx: CommandContext, groupId: string, cardId: string, dots: number): Promise<Reply> {
  const { session } = ctx;
  const pid = ctx.principal.participantId as string;
  const round = session.state.round;
  if (!round || round.status !== 'open') return refuse(ErrorCode.BadRequest, 'no voting round is open');
  const result = setDots(round, session.ballots.get(pid) ?? {}, groupId, cardId, dots);
  if (!result.ok) return refuse(ErrorCode.BadRequest, result.message);
  if (dots > 0 && !(await cardExists(ctx.registry, session.workshopId, groupId, cardId))) return refuse(ErrorCode.NotFound, 'no such card');
  await ctx.commit(session.toRecord({ ballots: { ...Object.fromEntries(session.ballots), [pid]: result.ballot } }));
  ctx.emit('ballot', session.workshopId, pid, result.ballot, session.done.has(pid));
  announceVotes(ctx);
  return ok();
}

export async function markDone(ctx: CommandContext, isDone: boolean): Promise<Reply> {
  const { session } = ctx;
  const pid = ctx.principal.participantId as string;
  if (session.state.round?.status !== 'open') return refuse(ErrorCode.BadRequest, 'no voting round is open');
  const done = new Set(session.done);
  if (isDone) done.add(pid);
  else done.delete(pid);
  await ctx.commit(session.toRecord({ done: [...done] }));
  ctx.emit('ballot', session.workshopId, pid, session.ballots.get(pid) ?? {}, isDone);
  announceVotes(ctx);
  return ok();
}

async function cardExists(registry: BoardRegistry, workshopId: string, groupId: string, cardId: string): Promise<boolean> {
  const board = await registry.open(boardDocName({ workshopId, groupId }));
  return board.read((doc) => listCards(doc).some((c) => c.id === cardId));
}

/** Drops ranked entries whose card was deleted from its board before the close. */
async function withExistingCards(registry: BoardRegistry, workshopId: string, ranking: RankedCard[]): Promise<RankedCard[]> {
  const alive = new Set<string>();
  for (const groupId of new Set(ranking.map((r) => r.groupId))) {
    const board = await registry.open(boardDocName({ workshopId, groupId }));
    for (const id of await board.read((doc) => listCards(doc).map((c) => c.id))) alive.add(`${groupId}/${id}`);
  }
  return ranking.filter((r) => alive.has(`${r.groupId}/${r.cardId}`));
}
