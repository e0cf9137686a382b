// Stored boards → the Consolidated model. `consolidate` is pure; `loadExportSource` reads
// each board's state through the registry (in queue order, so an export includes every
// write stored before it), and `consolidateSource`, in an export worker, reads the states'
// plain content and hands it to `consolidate`.
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as Y from 'yjs';
import { arrangeBoardItems, readBoardContent, type BoardContent } from '../../shared/board.js';
import { clusterKey } from '../../shared/voting.js';
import { groupTitle, type AgendaItem, type AnnexGroup, type Consolidated, type ConsolidatedSynthesis, type SynthesisMode } from '../../shared/consolidated.js';
import { PLENARY_BOARD, boardDocName } from '../../shared/doc-name.js';
import { rankItems, readPlenary, type PlenaryContent } from '../../shared/plenary.js';
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
  /** The synthesis first and the chapters ('with', the default), the synthesis alone, or the chapters alone. */
  synthesis?: SynthesisMode;
  /** The plenary board's content, and every group of the workshop (an item names its groups even when their chapters are left out). */
  plenary?: { content: PlenaryContent; groups: readonly Group[] };
}

export const isoDate = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

export function consolidate(
  workshop: Workshop,
  groups: ReadonlyArray<{ group: Group; board: BoardContent }>,
  options: ConsolidateOptions = {},
): Consolidated {
  const mode = options.synthesis ?? 'with';
  const wanted = options.groupIds ? new Set(options.groupIds) : null;
  const chosen = [...groups]
    .filter(({ group }) => mode !== 'only' && (!wanted || wanted.has(group.id)))
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
  const synthesis = mode !== 'none' && options.plenary ? synthesisOf(options.plenary, options.votes ?? []) : null;
  if (synthesis) model.synthesis = synthesis;
  if (options.annex) model.annex = annexOf(model, options.votes ?? []);
  return model;
}

/** Has the plenary board anything to show (a section with a heading or a body, or an item)? */
export const hasSynthesis = (content: PlenaryContent): boolean =>
  content.items.length > 0 || content.sections.some((s) => s.heading.trim() !== '' || s.body.length > 0);

/** The plenary board as the document's synthesis: items in the closed round's order, each naming its groups; null when empty. */
function synthesisOf(plenary: NonNullable<ConsolidateOptions['plenary']>, votes: readonly CardVotes[]): ConsolidatedSynthesis | null {
  if (!hasSynthesis(plenary.content)) return null;
  const order = [...plenary.groups].sort((a, b) => a.position - b.position);
  return {
    title: plenary.content.title,
    sections: plenary.content.sections.map(({ heading, body }) => ({ heading, body })),
    items: rankItems(plenary.content.items, votes).map((item) => {
      const from = new Set(item.sources.map((s) => s.groupId));
      // A source whose group was deleted since is left out: the document has nothing to name it by.
      const named = order.filter((g) => from.has(g.id)).map((g) => ({ id: g.id, name: groupTitle({ name: g.name, title: '' }) }));
      return { text: item.text, dots: item.dots, voters: item.voters, groups: named };
    }),
  };
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

/**
 * What a document is made from, as the export worker receives it: the workshop, its groups
 * and each board's state as one Yjs update (bytes, cheap to read on the event loop and to
 * send to a thread, where `consolidateSource` turns them into the model).
 */
export interface ExportSource {
  workshop: Workshop;
  boards: Array<{ group: Group; state: Uint8Array }>;
  /** The plenary board's state, and every group of the workshop; absent when the synthesis is left out. */
  plenary?: { state: Uint8Array; groups: Group[] };
  options: Omit<ConsolidateOptions, 'plenary'>;
}

/** The boards of the workshop's `groups` (as the caller listed them) as an export's source, or null when there is no such workshop. */
export async function loadExportSource(deps: LoadDeps, workshopId: string, groups: Group[], options: Omit<ConsolidateOptions, 'plenary'> = {}): Promise<ExportSource | null> {
  const workshop = await deps.store.getWorkshop(workshopId);
  if (!workshop) return null;
  const mode = options.synthesis ?? 'with';
  const wanted = options.groupIds ? new Set(options.groupIds) : null;
  // Read in queue order (an export holds every write stored before it), one board at a time,
  // letting the event loop run between them: opening 50 boards from the store at once is
  // tens of milliseconds every socket would otherwise wait for in one piece.
  const stateOf = async (groupId: string) => {
    await nextTurn();
    return (await deps.registry.open(boardDocName({ workshopId, groupId }))).state();
  };
  const plenary = mode === 'none' ? undefined : { state: await stateOf(PLENARY_BOARD), groups };
  const boards: ExportSource['boards'] = [];
  for (const group of groups.filter((g) => mode !== 'only' && (!wanted || wanted.has(g.id)))) boards.push({ group, state: await stateOf(group.id) });
  return { workshop, boards, ...(plenary ? { plenary } : {}), options };
}

/** The consolidated model of a source (in an export worker: reading 50 boards' content and consolidating them is tens of milliseconds). */
export function consolidateSource(source: ExportSource): Consolidated {
  const read = <T>(state: Uint8Array, reader: (doc: Y.Doc) => T): T => {
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, state);
      return reader(doc);
    } finally {
      doc.destroy();
    }
  };
  const boards = source.boards.map(({ group, state }) => ({ group, board: read(state, readBoardContent) }));
  const plenary = source.plenary ? { content: read(source.plenary.state, readPlenary), groups: source.plenary.groups } : undefined;
  return consolidate(source.workshop, boards, { ...source.options, ...(plenary ? { plenary } : {}) });
}
