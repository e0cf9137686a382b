// Dot voting: rounds opened and closed by the facilitator, ballots held here.
// Only active participants' ballots count; a card must exist on its board to get dots.
// A round over the plenary board ranks its items: ballots keyed `plenary/<itemId>`.
import { boardDocName } from '../../shared/doc-name.js';
import type { RankedCard, ResultsVisibility } from '../../shared/session.js';
import { cardKey, fromCardKey, rank, setDots, type Ballot } from '../../shared/voting.js';
import type { Principal } from '../auth/principal.js';
import type { Role } from '../../shared/model.js';
import type { BoardRegistry } from '../docsync/registry.js';
import { newId } from '../workshops/workshop-service.js';
import { ErrorCode, ok, refuse, type CommandContext, type Reply } from './command-context.js';
import { encodeBallotRow } from './ballot-rows.js';
import type { WorkshopSession } from './workshop-session.js';
import { previewOf, readVotables, withVotable, type Votable } from './votables.js';

/**
 * The ranking over the ballots of participants still in the workshop, with the start of the
 * card (or cluster) texts known here (`previewOf`); the close reads the whole texts.
 */
export const tally = (session: WorkshopSession): RankedCard[] =>
  rank(session.activeBallots()).map((r) => withVotable(r, previewOf(session.cardTexts.get(cardKey(r.groupId, r.cardId)))));

/**
 * Who is told a live ranking whole: the facilitators always, the projectors too when results
 * are live (their plenary projection shows every item's dots). The rest of the room gets its
 * first `LIVE_ROOM_TOP` entries. The socket server sends by the same roles.
 */
export const wholeRankingRoles = (live: boolean): ReadonlyArray<Extract<Role, 'facilitator' | 'projector'>> => (live ? ['facilitator', 'projector'] : ['facilitator']);
const seesWhole = (principal: Principal, live: boolean) => (wholeRankingRoles(live) as readonly Role[]).includes(principal.role);

/** The ranking a principal may see now (a live one as last announced to its audience), or null. */
export function visibleRanking(session: WorkshopSession, principal: Principal): RankedCard[] | null {
  const round = session.state.round;
  if (!round) return null;
  if (round.status === 'closed') return round.ranking;
  const everyone = round.results === 'live';
  if (seesWhole(principal, everyone)) return session.rankingAnnouncer.forSnapshot(round.id, everyone, tally(session));
  return everyone ? session.roomAnnouncer.forSnapshot(round.id, true, tally(session)) : null;
}

/**
 * Tells the room the vote's progress, and what changed in the ranking since they were last
 * told (ranking-announcer.ts): whole to the facilitators (and the projectors of a live
 * round), its first entries to the rest of the room when results are live.
 * Run as one of the workshop's commands; the sending goes on after it (`session.announcing`),
 * so dots are not held behind it, while the next announcement and a round's open or close wait
 * for it: a ranking read before a round closes is never sent after the frozen one.
 */
export async function announceVotes(ctx: Pick<CommandContext, 'session' | 'emitVotes' | 'registry'>): Promise<void> {
  const { session } = ctx;
  await session.announcing;
  const round = session.state.round;
  const open = round?.status === 'open';
  if (open) await learnCardTexts(ctx.registry, session);
  const progress = session.voteProgress();
  const everyone = open && round.results === 'live';
  const ranked = open ? tally(session) : [];
  const ranking = open ? session.rankingAnnouncer.announce(round.id, everyone, ranked) : null;
  const room = everyone ? session.roomAnnouncer.announce(round.id, true, ranked) : null;
  if (!progress) return; // no round: nothing to announce (a ranking needs an open one)
  session.announcing = ctx.emitVotes(session.workshopId, { progress, ranking, room });
}

/**
 * Reads from their boards the texts of ranked cards the session does not know yet (after a
 * restart the cache is empty); a card no longer on its board is remembered as such.
 */
export async function learnCardTexts(registry: BoardRegistry, session: WorkshopSession): Promise<void> {
  // The ballots' keys, not a tally: asked before every announcement and every socket's snapshot.
  const missing = new Map<string, Set<string>>(); // groupId → cardIds
  for (const ballot of session.activeBallots()) {
    for (const key of Object.keys(ballot)) {
      if (session.cardTexts.has(key)) continue;
      const { groupId, cardId } = fromCardKey(key);
      missing.set(groupId, (missing.get(groupId) ?? new Set()).add(cardId));
    }
  }
  for (const [groupId, cardIds] of missing) {
    const board = await registry.open(boardDocName({ workshopId: session.workshopId, groupId }));
    const votables = await board.read((doc) => readVotables(doc, groupId));
    for (const cardId of cardIds) session.cardTexts.set(cardKey(groupId, cardId), votables.get(cardId) ?? null);
  }
}

export async function openRound(ctx: CommandContext, round: { groupIds: string[]; budget: number; maxPerCard: number; results: ResultsVisibility }): Promise<Reply> {
  const id = newId(6);
  await ctx.session.announcing;
  const reply = await ctx.applyRule({ type: 'vote:open', round: { ...round, id } }, { ballots: {}, done: [] });
  if (!reply.ok) return reply;
  await announceVotes(ctx);
  // Earlier rounds' ballots are no longer read; dropping them is housekeeping, after the commit.
  await ctx.store.pruneBallots(ctx.session.workshopId, id);
  return reply;
}

export async function closeRound(ctx: CommandContext): Promise<Reply> {
  await ctx.session.announcing;
  const ranking = await withExistingCards(ctx.registry, ctx.session, tally(ctx.session));
  const reply = await ctx.applyRule({ type: 'vote:close', ranking });
  if (reply.ok) ctx.emit('ranking', ctx.session.workshopId, { whole: true, entries: ranking, gone: [] }, true);
  return reply;
}

export async function placeDots(ctx: CommandContext, groupId: string, cardId: string, dots: number): Promise<Reply> {
  const { session } = ctx;
  const pid = ctx.principal.participantId as string;
  const round = session.state.round;
  if (!round || round.status !== 'open') return refuse(ErrorCode.BadRequest, 'no voting round is open');
  const result = setDots(round, session.ballots.get(pid) ?? {}, groupId, cardId, dots);
  if (!result.ok) return refuse(ErrorCode.BadRequest, result.message);
  if (dots > 0) {
    const votable = await readVotable(ctx.registry, session.workshopId, groupId, cardId);
    if (votable === null) return refuse(ErrorCode.NotFound, 'no such card');
    session.cardTexts.set(cardKey(groupId, cardId), votable);
  }
  await saveBallot(ctx, result.ballot, session.done.has(pid));
  return ok();
}

export async function markDone(ctx: CommandContext, isDone: boolean): Promise<Reply> {
  const { session } = ctx;
  const pid = ctx.principal.participantId as string;
  if (session.state.round?.status !== 'open') return refuse(ErrorCode.BadRequest, 'no voting round is open');
  await saveBallot(ctx, session.ballots.get(pid) ?? {}, isDone);
  return ok();
}

/**
 * Stores the sender's ballot alone (one row, not the session record), then makes it
 * current: the voter hears its ballot at once, the room a throttled progress.
 */
async function saveBallot(ctx: CommandContext, ballot: Ballot, isDone: boolean): Promise<void> {
  const { session } = ctx;
  const pid = ctx.principal.participantId as string;
  const roundId = session.state.round?.id as string;
  await ctx.store.saveBallot(session.workshopId, roundId, pid, encodeBallotRow({ ballot, done: isDone }));
  session.ballots.set(pid, ballot);
  if (isDone) session.done.add(pid);
  else session.done.delete(pid);
  ctx.emit('ballot', session.workshopId, pid, ballot, isDone);
  ctx.votesChanged();
}

/**
 * The card (or `cluster:<id>`) on its board now, or null when the board has no such thing.
 * Peeked, not read in the board's queue: a dot's acknowledgement must not wait for a busy
 * board's writes to be stored (the ranking frozen at the close reads the stored text).
 */
async function readVotable(registry: BoardRegistry, workshopId: string, groupId: string, cardId: string): Promise<Votable | null> {
  const board = await registry.open(boardDocName({ workshopId, groupId }));
  return board.peek((doc) => readVotables(doc, groupId).get(cardId) ?? null);
}

/** The ranking to freeze: entries whose card (or cluster) was deleted before the close dropped, each with its text as it is now. */
async function withExistingCards(registry: BoardRegistry, session: WorkshopSession, ranking: RankedCard[]): Promise<RankedCard[]> {
  const votables = new Map<string, Votable>();
  for (const groupId of new Set(ranking.map((r) => r.groupId))) {
    const board = await registry.open(boardDocName({ workshopId: session.workshopId, groupId }));
    for (const [id, votable] of await board.read((doc) => readVotables(doc, groupId))) votables.set(cardKey(groupId, id), votable);
  }
  for (const [key, votable] of votables) if (session.cardTexts.has(key)) session.cardTexts.set(key, votable);
  return ranking.flatMap((r) => {
    const votable = votables.get(cardKey(r.groupId, r.cardId));
    return votable === undefined ? [] : [withVotable(r, votable)];
  });
}
