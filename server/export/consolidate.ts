// Stored boards → the Consolidated model. `consolidate` is pure; `loadConsolidated`
// reads each board through the registry (in queue order, so an export includes every
// write stored before it) and hands the plain content to it.
import { arrangeBoardItems, readBoardContent, type BoardContent } from '../../shared/board.js';
import { clusterKey } from '../../shared/voting.js';
import { groupTitle, type AgendaItem, type AnnexGroup, type Consolidated } from '../../shared/consolidated.js';
import { boardDocName } from '../../shared/doc-name.js';
import type { Group, Workshop } from '../../shared/model.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { Store } from '../store/store.js';

/** Dots on one card, as the voting rounds rank them. */
export interface CardVotes {
  groupId: string;
  cardId: string;
  dots: number;
  voters: number;
}

export interface ConsolidateOptions {
  /** Only these groups, in workshop order; every group when absent. */
  groupIds?: readonly string[];
  /** Add the annex of ranked cards. */
  annex?: boolean;
  votes?: readonly CardVotes[];
  agenda?: readonly AgendaItem[];
}

export const isoDate = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

export function consolidate(
  workshop: Workshop,
  groups: ReadonlyArray<{ group: Group; board: BoardContent }>,
  options: ConsolidateOptions = {},
): Consolidated {
  const wanted = options.groupIds ? new Set(options.groupIds) : null;
  const chosen = [...groups]
    .filter(({ group }) => !wanted || wanted.has(group.id))
    .sort((a, b) => a.group.position - b.group.position);
  const model: Consolidated = {
    workshop: {
      title: workshop.title,
      language: workshop.language,
      date: isoDate(workshop.createdAt),
      place: workshop.place,
      createdAt: workshop.createdAt,
    },
    groups: chosen.map(({ group, board }) => ({
      id: group.id,
      name: group.name,
      title: board.meta.title,
      frontMatter: board.meta.frontMatter ?? '',
      question: board.meta.question !== '' ? board.meta.question : group.question,
      sections: board.sections.map(({ heading, body }) => ({ heading, body })),
      cards: board.cards,
      ...(board.clusters && board.clusters.length > 0 ? { clusters: board.clusters } : {}),
    })),
    agenda: [...(options.agenda ?? [])],
  };
  if (options.annex) model.annex = annexOf(model, options.votes ?? []);
  return model;
}

function annexOf(model: Consolidated, votes: readonly CardVotes[]): AnnexGroup[] {
  const byCard = new Map(votes.map((v) => [`${v.groupId}/${v.cardId}`, v]));
  return model.groups.map((g) => ({
    groupId: g.id,
    title: groupTitle(g),
    ...annexClusters(g, byCard),
    cards: g.cards
      .map((c, order) => {
        const v = byCard.get(`${g.id}/${c.id}`);
        return { card: { text: c.text, author: c.author, dots: v?.dots ?? 0, voters: v?.voters ?? 0 }, order };
      })
      .sort((a, b) => b.card.dots - a.card.dots || b.card.voters - a.card.voters || a.order - b.order)
      .map(({ card }) => card),
  }));
}

/** The group's clusters that hold cards, most dots first (ties: board order). */
function annexClusters(g: Consolidated['groups'][number], byKey: ReadonlyMap<string, CardVotes>): Pick<AnnexGroup, 'clusters'> {
  const clusters = arrangeBoardItems(g.cards, g.clusters ?? []).flatMap((item, order) => {
    if (item.kind !== 'cluster') return [];
    const v = byKey.get(`${g.id}/${clusterKey(item.cluster.id)}`);
    const cards = item.cards.map((c) => ({ text: c.text, author: c.author }));
    return [{ cluster: { title: item.cluster.title, dots: v?.dots ?? 0, voters: v?.voters ?? 0, cards }, order }];
  });
  if (clusters.length === 0) return {};
  return { clusters: clusters.sort((a, b) => b.cluster.dots - a.cluster.dots || b.cluster.voters - a.cluster.voters || a.order - b.order).map((c) => c.cluster) };
}

export interface LoadDeps {
  store: Store;
  registry: BoardRegistry;
}

/** The workshop's consolidated model, or null when there is no such workshop. */
export async function loadConsolidated(deps: LoadDeps, workshopId: string, options: ConsolidateOptions = {}): Promise<Consolidated | null> {
  const workshop = await deps.store.getWorkshop(workshopId);
  if (!workshop) return null;
  const groups = await deps.store.listGroups(workshopId);
  const wanted = options.groupIds ? new Set(options.groupIds) : null;
  const boards = await Promise.all(
    groups
      .filter((g) => !wanted || wanted.has(g.id))
      .map(async (group) => {
        const board = await deps.registry.open(boardDocName({ workshopId, groupId: group.id }));
        return { group, board: await board.read(readBoardContent) };
      }),
  );
  return consolidate(workshop, boards, options);
}
