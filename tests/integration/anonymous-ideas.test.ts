// Anonymous ideas, through a real server: while the facilitator has anonymity on, a card
// a stock y-websocket client writes with its author's name reaches nobody with it — not
// the other clients, not the writer's own copy, not the stored updates, not the exports,
// not the log; private cards revealed then carry no author either. Off again, authors
// are kept. On main there is no `anonymous:set`, and the name is stored and relayed.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, boardTypes, listCards } from '../../shared/board.js';
import { createWorkshop, joinWorkshop } from '../helpers/api.js';
import { nameOf } from '../helpers/board.js';
import { connectSocket } from '../helpers/facilitation.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

const NAME = 'Zoraida Quintanilla';
const bytesOf = (s: string) => Buffer.from(s, 'utf8');

let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

const authors = (doc: Y.Doc) => Object.fromEntries(listCards(doc).map((c) => [c.text, c.author]));

describe('anonymous ideas', () => {
  it('a stock client’s author never reaches the board, the store, the exports or the log', async () => {
    srv = await startServer();
    const w = await createWorkshop(srv.url, { title: 'Taller anónimo', groups: [{ name: 'Grupo A', question: '¿Qué?' }] });
    const board = { workshopId: w.id, groupId: w.groups[0]!.id };
    const zoraida = await joinWorkshop(srv.url, w, board.groupId, NAME);
    const facilitator = await connectSocket(srv.url, w.facilitatorToken);
    const participant = await connectSocket(srv.url, zoraida.token);
    // A card written before anonymity keeps its author throughout.
    const olga = await joinWorkshop(srv.url, w, board.groupId, 'Olga Previa');
    const early = await syncedClient(srv.wsUrl, board, olga.token);
    addCard(early.doc, { text: 'De antes', author: 'Olga Previa' });
    await roundTrip(early);
    early.destroy();

    // Only the facilitator turns it on; everyone hears it.
    expect(await participant.command({ type: 'anonymous:set', enabled: true })).toMatchObject({ ok: false, error: 'forbidden' });
    // A private card held before anonymity, revealed while it is on.
    expect(await facilitator.command({ type: 'private:set', enabled: true })).toEqual({ ok: true });
    expect((await participant.command({ type: 'card:add-private', text: 'Privada de antes', color: 'blue' })).ok).toBe(true);
    expect(await facilitator.command({ type: 'anonymous:set', enabled: true })).toEqual({ ok: true });
    await waitFor(() => participant.events.some((e) => e.event === 'session:state' && (e.args[0] as { anonymous: boolean }).anonymous), 5_000, 'the room to hear it');
    expect((await participant.command({ type: 'card:add-private', text: 'Privada durante', color: 'green' })).ok).toBe(true);
    expect(await facilitator.command({ type: 'private:reveal' })).toEqual({ ok: true });

    // A stock client writes a card with its author's name (and a field that does not fit, which is logged).
    const writer = await syncedClient(srv.wsUrl, board, zoraida.token);
    const reader = await syncedClient(srv.wsUrl, board, w.facilitatorToken);
    addCard(writer.doc, { text: 'Idea secreta', author: NAME });
    writer.doc.transact(() => {
      const { cards } = boardTypes(writer.doc);
      const card = cards.get(cards.length - 1) as Y.Map<unknown>;
      card.set('evil', 1);
    });
    // And names an existing card as its own.
    addCard(writer.doc, { text: 'Otra idea', author: '' });
    await roundTrip(writer);
    (boardTypes(writer.doc).cards.toArray().find((m) => (m as Y.Map<unknown>).get('author') === '') as Y.Map<unknown>).set('author', NAME);
    await roundTrip(writer);

    await waitFor(() => authors(reader.doc)['Otra idea'] === '' && authors(reader.doc)['Idea secreta'] === '', 5_000, 'the cards to reach the reader');
    expect(authors(reader.doc)).toEqual({ 'De antes': 'Olga Previa', 'Privada de antes': '', 'Privada durante': '', 'Idea secreta': '', 'Otra idea': '' });
    await waitFor(() => !Object.values(authors(writer.doc)).includes(NAME), 5_000, 'the blanking to reach the writer');

    // The stored updates never held the name: what a restarted server loads, byte for byte.
    const stored = await srv.store.loadDoc(nameOf(board));
    for (const bytes of [stored.snapshot, ...stored.updates]) if (bytes) expect(Buffer.from(bytes).includes(bytesOf(NAME))).toBe(false);
    // A reader that joins later gets the same.
    const late = await syncedClient(srv.wsUrl, board, w.facilitatorToken);
    expect(Object.values(authors(late.doc))).toEqual(['Olga Previa', '', '', '', '']);

    for (const format of ['md', 'html', 'json', 'docx', 'pdf']) {
      const res = await fetch(`${srv.url}/api/workshops/${w.id}/export?format=${format}&annex=1`, { headers: { authorization: `Bearer ${w.facilitatorToken}` } });
      expect(res.status).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      if (format === 'md' || format === 'html' || format === 'json') {
        expect(body.toString('utf8')).toContain('Idea secreta');
        expect(body.toString('utf8'), format).not.toContain(NAME);
      }
    }
    const cardLogs = srv.log.entries.filter((e) => JSON.stringify(e).includes(NAME));
    expect(cardLogs).toEqual([]);
    expect(srv.log.entries.some((e) => e.message === 'removed from a board what does not fit its shape')).toBe(true);

    // Off again: a new card keeps its author.
    // Only what the room hears from here on: it heard `anonymous: false` before anonymity was on.
    const heardBefore = participant.events.length;
    expect(await facilitator.command({ type: 'anonymous:set', enabled: false })).toEqual({ ok: true });
    await participant.next('session:state', (state) => !state.anonymous, heardBefore, 5_000);
    addCard(writer.doc, { text: 'Con nombre', author: NAME });
    await roundTrip(writer);
    await waitFor(() => authors(reader.doc)['Con nombre'] === NAME, 5_000, 'the named card');
    expect(authors(reader.doc)['Idea secreta']).toBe('');
    for (const c of [writer, reader, late]) c.destroy();
    facilitator.close();
    participant.close();
  });
});
