// Reading a board as the store holds it: what a restarted server would load.
import * as Y from 'yjs';
import { addCard, listCards } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import type { Store } from '../../server/store/store.js';
import type { BoardRef } from './api.js';
import { waitFor } from './wait.js';
import { roundTrip, syncedClient } from './yclient.js';

export const nameOf = (board: BoardRef) => boardDocName(board);

/** The board rebuilt from its stored snapshot and updates. */
export async function storedBoard(store: Store, board: BoardRef): Promise<Y.Doc> {
  const stored = await store.loadDoc(nameOf(board));
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  if (doc.store.pendingStructs || doc.store.pendingDs) throw new Error(`stored board ${nameOf(board)} has updates with missing dependencies`);
  return doc;
}

/** Card texts of a board, sorted. */
export const texts = (doc: Y.Doc) => listCards(doc).map((c) => c.text).sort();
export const hasCard = (client: { doc: Y.Doc }, text: string) => texts(client.doc).includes(text);

/**
 * A writer adds a card and we wait until every watcher has it. The server relays in
 * order on each socket, so anything it relayed to a watcher before is in by then.
 */
export async function barrier(writer: { doc: Y.Doc }, watchers: Array<{ doc: Y.Doc }>, text = `barrera ${Math.random()}`): Promise<void> {
  addCard(writer.doc, { text, author: 'barrera' });
  await waitFor(() => watchers.every((w) => hasCard(w, text)), 5_000, `"${text}" to reach every client`);
}

/** Barriers from `writer` to `watchers`, one after another until `stop`, which resolves with each one's time in ms. */
export function keepSyncing(writer: { doc: Y.Doc }, watchers: Array<{ doc: Y.Doc }>): { stop: () => Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      await barrier(writer, watchers);
      times.push(performance.now() - start);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return times;
    },
  };
}

/** A card written on a board through its own socket, as a participant would; its id once the server has it. */
export async function writeCard(wsUrl: string, board: BoardRef, token: string, text: string): Promise<string> {
  const client = await syncedClient(wsUrl, board, token);
  const id = addCard(client.doc, { text, author: 'Ana' });
  await roundTrip(client);
  client.destroy();
  return id;
}
