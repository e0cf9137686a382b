// Clusters on a board (shared/board.ts): a card names its cluster in one field, so
// concurrent grouping converges without duplicating a card; ungrouping and deleting a
// cluster return its cards; the shape check keeps clusters to their shape.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard, boardTypes, clusterTitle, createCluster, listBoardItems, listCards, listClusters, moveItem, readBoardContent,
  removeCluster, replaceBoardWith, restoreCard, setCardCluster, setClusterCollapsed, trashCard,
} from '../../shared/board.js';
import { copyOf, newBoard, sync } from '../helpers/local-board.js';
import { conformToShape } from '../../server/docsync/shape-check.js';

/** The grid as text: a card's text, or a cluster's title with its cards' texts. */
const grid = (doc: Y.Doc) =>
  listBoardItems(doc).map((i) => (i.kind === 'card' ? i.card.text : { [i.cluster.title]: i.cards.map((c) => c.text) }));

describe('clusters', () => {
  it('group cards under an editable title, in the place of the first of them', () => {
    const doc = newBoard();
    const [a, b, c, d] = ['uno', 'dos', 'tres', 'cuatro'].map((text) => addCard(doc, { text, author: 'Ana' }));
    const id = createCluster(doc, [c!, b!], 'Financiamiento')!;
    expect(grid(doc)).toEqual(['uno', { Financiamiento: ['dos', 'tres'] }, 'cuatro']);
    clusterTitle(doc, id)!.insert(0, 'Más ');
    expect(listClusters(doc)[0]).toMatchObject({ id, title: 'Más Financiamiento', collapsed: false });
    setClusterCollapsed(doc, id, true);
    expect(listClusters(doc)[0]!.collapsed).toBe(true);
    // The cluster moves as one: first in the grid.
    moveItem(doc, `cluster:${id}`, 0);
    expect(grid(doc)).toEqual([{ 'Más Financiamiento': ['dos', 'tres'] }, 'uno', 'cuatro']);
    // A card joins, another leaves.
    setCardCluster(doc, d!, id);
    setCardCluster(doc, b!, null);
    expect(grid(doc)).toEqual([{ 'Más Financiamiento': ['tres', 'cuatro'] }, 'uno', 'dos']);
    expect(listCards(doc).map((x) => x.id).sort()).toEqual([a, b, c, d].sort());
  });

  it('two people grouping the same card into two clusters at once converge, and the card is never in two', () => {
    const ana = newBoard();
    const [x, y, z] = ['x', 'y', 'z'].map((text) => addCard(ana, { text, author: 'Ana' }));
    const bruno = copyOf(ana);
    createCluster(ana, [x!, y!], 'De Ana');
    createCluster(bruno, [x!, z!], 'De Bruno');
    sync(ana, bruno);
    expect(grid(ana)).toEqual(grid(bruno));
    const cards = listCards(ana);
    expect(cards.map((c) => c.text).sort()).toEqual(['x', 'y', 'z']);
    const shown = listBoardItems(ana).flatMap((i) => (i.kind === 'card' ? [i.card.text] : i.cards.map((c) => c.text)));
    expect(shown.sort()).toEqual(['x', 'y', 'z']); // each card shown once
    expect(listBoardItems(ana).filter((i) => i.kind === 'cluster')).toHaveLength(2);
  });

  it('deleting a cluster returns its cards, even one someone put into it meanwhile', () => {
    const ana = newBoard();
    const [a, b, c] = ['a', 'b', 'c'].map((text) => addCard(ana, { text, author: 'Ana' }));
    const id = createCluster(ana, [a!, b!], 'Tema')!;
    const bruno = copyOf(ana);
    removeCluster(ana, id);
    setCardCluster(bruno, c!, id);
    sync(ana, bruno);
    for (const doc of [ana, bruno]) {
      expect(listClusters(doc)).toEqual([]);
      expect(listCards(doc).map((card) => [card.text, card.cluster ?? ''])).toEqual([['a', ''], ['b', ''], ['c', '']]);
      expect(grid(doc)).toEqual(['a', 'b', 'c']);
    }
  });

  it('a cluster no card names is not shown; a trashed card comes back into its cluster', () => {
    const doc = newBoard();
    const [a, b] = ['a', 'b'].map((text) => addCard(doc, { text, author: 'Ana' }));
    const id = createCluster(doc, [a!, b!], 'Tema')!;
    trashCard(doc, a!, 'Ana');
    trashCard(doc, b!, 'Ana');
    expect(grid(doc)).toEqual([]);
    restoreCard(doc, a!);
    expect(grid(doc)).toEqual([{ Tema: ['a'] }]);
    expect(listCards(doc)[0]!.cluster).toBe(id);
  });

  it('are part of what a board holds: its content, and a restored version', () => {
    const doc = newBoard();
    const [a] = ['a', 'b'].map((text) => addCard(doc, { text, author: 'Ana' }));
    createCluster(doc, [a!], 'Tema');
    const version = copyOf(doc);
    removeCluster(doc, listClusters(doc)[0]!.id);
    expect(readBoardContent(doc).clusters).toEqual([]);
    replaceBoardWith(doc, version);
    expect(readBoardContent(doc).clusters!.map((c) => c.title)).toEqual(['Tema']);
    expect(grid(doc)).toEqual([{ Tema: ['a'] }, 'b']);
  });

  it('the shape check removes a cluster field of the wrong type and a cluster without a title', () => {
    const server = newBoard();
    addCard(server, { text: 'a', author: 'Ana' });
    const client = copyOf(server);
    const { cards, clusters } = boardTypes(client);
    client.transact(() => {
      const bad = new Y.Map<unknown>();
      bad.set('id', 'k1');
      bad.set('title', 'a string, not a Y.Text');
      const good = new Y.Map<unknown>();
      good.set('id', 'k2');
      good.set('title', new Y.Text('Tema'));
      good.set('collapsed', 'yes');
      clusters.push([bad, good]);
      (cards.get(0) as Y.Map<unknown>).set('cluster', 42);
    });
    const update = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    const transactions: Y.Transaction[] = [];
    const record = (tr: Y.Transaction) => transactions.push(tr);
    server.on('afterTransaction', record);
    Y.applyUpdate(server, update, 'peer');
    server.off('afterTransaction', record);
    expect(conformToShape(server, transactions, 'server').removed).toBe(3);
    expect(listClusters(server).map((c) => [c.id, c.collapsed])).toEqual([['k2', false]]);
    expect(boardTypes(server).clusters.toArray().map((m) => [...(m as Y.Map<unknown>).keys()].sort())).toEqual([['id', 'title']]);
    expect((boardTypes(server).cards.get(0) as Y.Map<unknown>).has('cluster')).toBe(false);
  });
});
