// Private writing: while it is on, new cards are held here, each visible only to its
// author, until the facilitator reveals them all at once into their boards.
import { addCard, listCards, type CardColor } from '../../shared/board.js';
import { WriteRefused } from '../docsync/board-writer.js';
import type { Participant } from '../../shared/model.js';
import { newId } from '../workshops/workshop-service.js';
import { ErrorCode, ok, refuse, type CommandContext, type Reply } from './command-context.js';
import type { HeldCard } from './workshop-session.js';

function announceHeld(ctx: CommandContext, participantId: string): void {
  ctx.emit('heldCards', ctx.session.workshopId, participantId, ctx.session.heldCardsOf(participantId));
  ctx.emit('heldCounts', ctx.session.workshopId, ctx.session.heldCounts());
}

export async function holdCard(ctx: CommandContext, text: string, color: CardColor): Promise<Reply> {
  const { session } = ctx;
  if (!session.state.privateCards) return refuse(ErrorCode.BadRequest, 'private writing is off: add the card to the board');
  const p = session.activeParticipant(ctx.principal.participantId) as Participant;
  if (session.state.lockedGroups.includes(p.groupId)) return refuse(ErrorCode.Forbidden, 'your board is locked');
  // Written while ideas are anonymous, it stays so: its author is not even kept here.
  const author = session.state.anonymous ? '' : p.name;
  const card: HeldCard = { id: newId(6), groupId: p.groupId, text, color, createdAt: ctx.now, participantId: p.id, author };
  await ctx.commit(session.toRecord({ heldCards: [...session.heldCards, card] }));
  announceHeld(ctx, p.id);
  return ok({ id: card.id });
}

export async function releaseCard(ctx: CommandContext, id: string): Promise<Reply> {
  const { session } = ctx;
  const pid = ctx.principal.participantId as string;
  const heldCards = session.heldCards.filter((c) => !(c.id === id && c.participantId === pid));
  if (heldCards.length === session.heldCards.length) return refuse(ErrorCode.NotFound, 'no such private card of yours');
  await ctx.commit(session.toRecord({ heldCards }));
  announceHeld(ctx, pid);
  return ok();
}

/**
 * Writes every held card into its group's board (stored and relayed), then forgets
 * them. A card keeps its id on the board, so a reveal retried after a failure does
 * not write it twice. A locked board takes no cards: while any board that has held
 * cards is locked, nothing is revealed and the refusal names those groups (a reveal into
 * some boards only would leave the room unsure whose cards are out).
 */
export async function revealHeld(ctx: CommandContext): Promise<Reply> {
  const { session } = ctx;
  const byGroup = new Map<string, HeldCard[]>();
  for (const c of session.heldCards) byGroup.set(c.groupId, [...(byGroup.get(c.groupId) ?? []), c]);
  const locked = [...byGroup.keys()].filter((g) => session.state.lockedGroups.includes(g));
  if (locked.length > 0) {
    const names = (await ctx.store.listGroups(session.workshopId)).filter((g) => locked.includes(g.id)).map((g) => g.name);
    return refuse(ErrorCode.Locked, `locked boards take no cards: unlock ${names.join(', ')} to reveal the private cards (nothing was revealed)`);
  }
  for (const [groupId, cards] of byGroup) {
    try {
      // Revealed while ideas are anonymous: no author, whenever the card was written.
      const anonymous = session.state.anonymous;
      await ctx.writer.change(ctx.principal, { workshopId: session.workshopId, groupId }, (doc) => {
        const present = new Set(listCards(doc).map((c) => c.id));
        for (const c of cards) {
          if (!present.has(c.id)) addCard(doc, { id: c.id, text: c.text, author: anonymous ? '' : c.author, color: c.color, createdAt: c.createdAt });
        }
      });
    } catch (err) {
      if (!(err instanceof WriteRefused)) throw err;
      // Cards already written keep their ids: the retried reveal does not write them twice.
      return refuse(err.reason === 'locked' ? ErrorCode.Locked : ErrorCode.Forbidden, `${err.message}; the cards are still held`);
    }
  }
  const authors = new Set(session.heldCards.map((c) => c.participantId));
  await ctx.commit(session.toRecord({ heldCards: [], state: { ...session.state, privateCards: false } }));
  for (const pid of authors) ctx.emit('heldCards', session.workshopId, pid, []);
  ctx.emit('heldCounts', session.workshopId, {});
  return ok();
}
