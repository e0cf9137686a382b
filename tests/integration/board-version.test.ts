// A board's `version` moves with every change its doc takes, whoever made it: a peer's write,
// another node's stored update, a server change. What reads derive from the doc (the
// console's figures) is kept by board name while it stays the same, so it must move with
// every change and with nothing else, and a copy loaded again must not take up an earlier
// copy's number. A real board on a real SQLite file.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addCard, initBoard } from '../../shared/board.js';
import type { Principal } from '../../server/auth/principal.js';
import { BoardRegistry } from '../../server/docsync/registry.js';
import { BoardWriter } from '../../server/docsync/board-writer.js';
import { silentLogger } from '../../server/lib/logger.js';
import { peer, useSqliteBoards } from '../helpers/sqlite-boards.js';

const boards = useSqliteBoards();

/** What a client typing on its own copy sends: each change as an update. */
function client(): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return { doc, updates };
}

describe('a board’s version', () => {
  it('moves with every change to its doc, from a peer, another node or the server, and with nothing else', async () => {
    const { store, registry } = boards;
    const board = await registry.open('w1/g1');
    const ana = peer('ana');
    board.addPeer(ana);
    const v0 = board.version;

    const typing = client();
    addCard(typing.doc, { text: 'Redes locales', author: 'Ana' });
    expect(await board.applyUpdate(typing.updates[0]!, ana, () => true, null)).toBe('applied');
    const v1 = board.version;
    expect(v1).toBeGreaterThan(v0);

    // Reading, and an update the doc holds already, change nothing.
    await board.read(() => undefined);
    expect(await board.applyUpdate(typing.updates[0]!, ana, () => true, null)).toBe('unchanged');
    expect(board.version).toBe(v1);

    // Another node's stored update (cluster mode), applied in number order.
    const other = client();
    addCard(other.doc, { text: 'Medir impacto', author: 'Bea' });
    await board.applyStored(board.storedThrough + 1, other.updates[0]!);
    const v2 = board.version;
    expect(v2).toBeGreaterThan(v1);

    // A change the server makes (an import, a restore): through the one write path.
    const writer = new BoardWriter({
      registry,
      guard: { prepare: async () => undefined, exists: () => true, access: () => 'write', memberAccess: () => 'write' },
    });
    const facilitator: Principal = { role: 'facilitator', workshopId: 'w1', groupId: null, participantId: null, name: '' };
    await writer.change(facilitator, { workshopId: 'w1', groupId: 'g1' }, (doc) => initBoard(doc, { title: 'Grupo 1', question: '', language: 'es', sections: [] }));
    expect(board.version).toBeGreaterThan(v2);

    // Another copy of the same board (loaded again after an unload): a number no earlier copy had.
    const again = new BoardRegistry({ store, log: silentLogger, idleMs: 60_000 });
    const copy = await again.open('w1/g1');
    expect(copy.version).toBeGreaterThan(board.version);
    await again.closeAll();
  });
});
