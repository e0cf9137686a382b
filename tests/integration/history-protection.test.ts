// Versions that protect: right before a participant's update removes much of a board the
// server keeps the board as it was (`before-removal`), restorable through the restore
// route; while a board is written an automatic version comes every interval, and one
// more after the last write; old versions are thinned by age.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, boardTypes, cardText, listCards, listSections, readBoardContent, sectionBody, setTextByDiff } from '../../shared/board.js';
import { writeRichText } from '../../shared/rich-text-yjs.js';
import { text } from '../../shared/rich-text.js';
import type { VersionInfo } from '../../shared/history.js';
import { api, setupWorkshop, type BoardRef } from '../helpers/api.js';
import { nameOf, storedBoard } from '../helpers/board.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

const versionsPath = (b: BoardRef) => `/api/workshops/${b.workshopId}/groups/${b.groupId}/versions`;
const CARDS = ['Liderazgo local', 'Financiamiento estable', 'Redes de confianza', 'Escalar lo que funciona', 'Medir el impacto'];
const BODY = 'Fortalecer la articulación entre actores del territorio.';

describe('versions that protect', () => {
  it('a participant’s one update deleting every card and section is preceded by a before-removal version that holds them, and restoring it brings them back', async () => {
    const srv = await startServer({ autoVersionEveryMs: 3_600_000 });
    const w = await setupWorkshop(srv.url);
    const [ana, bruno] = [await w.participant('A', 'Ana'), await w.participant('A', 'Bruno')];
    const a = await syncedClient(srv.wsUrl, w.boardA, ana);
    const b = await syncedClient(srv.wsUrl, w.boardA, bruno);
    const sectionId = listSections(a.doc)[0]!.id;
    a.doc.transact(() => {
      for (const t of CARDS) addCard(a.doc, { text: t, author: 'Ana' });
      writeRichText(sectionBody(a.doc, sectionId)!, [{ type: 'paragraph', content: [text(BODY)] }]);
    });
    await roundTrip(a);
    const written = readBoardContent(a.doc);
    await waitFor(async () => (await srv.store.listVersions(nameOf(w.boardA))).length === 1, 5_000, 'the first automatic version');

    // Bruno, in one update, deletes it all.
    b.doc.transact(() => {
      const { cards, sections } = boardTypes(b.doc);
      cards.delete(0, cards.length);
      sections.delete(0, sections.length);
    });
    await roundTrip(b);
    await waitFor(() => listCards(a.doc).length === 0 && listSections(a.doc).length === 0, 5_000, 'the wipe to reach Ana');
    expect(readBoardContent(await storedBoard(srv.store, w.boardA)).cards).toEqual([]);

    const list = await api<VersionInfo[]>(srv.url, 'GET', versionsPath(w.boardA), { token: ana });
    const kept = list.body.find((v) => v.kind === 'before-removal');
    expect(kept).toMatchObject({ kind: 'before-removal', createdBy: 'Bruno' });
    const view = await api(srv.url, 'GET', `${versionsPath(w.boardA)}/${kept!.id}`, { token: ana });
    expect(view.body.content).toEqual(written);

    const restored = await api(srv.url, 'POST', `${versionsPath(w.boardA)}/${kept!.id}/restore`, { token: ana });
    expect(restored.status).toBe(200);
    for (const client of [a, b]) {
      await waitFor(() => listCards(client.doc).length === CARDS.length, 5_000, 'the restore to reach every client');
      expect(readBoardContent(client.doc)).toEqual(written);
    }
    expect(readBoardContent(await storedBoard(srv.store, w.boardA))).toEqual(written);
  });

  it('keeps no such version for edits that remove little: typing, a backspace, one card', async () => {
    const srv = await startServer({ autoVersionEveryMs: 3_600_000 });
    const w = await setupWorkshop(srv.url);
    const a = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    for (const t of CARDS) addCard(a.doc, { text: t, author: 'Ana' });
    const first = listCards(a.doc)[0]!;
    setTextByDiff(cardText(a.doc, first.id)!, 'Liderazgo loca');
    const { cards } = boardTypes(a.doc);
    cards.delete(cards.length - 1, 1);
    await roundTrip(a);
    expect(listCards(await storedBoard(srv.store, w.boardA))).toHaveLength(CARDS.length - 1);
    await waitFor(async () => (await srv.store.listVersions(nameOf(w.boardA))).length > 0, 5_000, 'the first automatic version');
    expect((await srv.store.listVersions(nameOf(w.boardA))).map((v) => v.kind)).toEqual(['auto']);
  });

  it('takes an automatic version at once, and one more after the interval that holds the later writes', async () => {
    const srv = await startServer({ autoVersionEveryMs: 600 });
    const w = await setupWorkshop(srv.url);
    const a = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    addCard(a.doc, { text: 'Primera', author: 'Ana' });
    await waitFor(async () => (await srv.store.listVersions(nameOf(w.boardA))).length === 1, 5_000, 'the first automatic version');
    addCard(a.doc, { text: 'Segunda', author: 'Ana' });
    addCard(a.doc, { text: 'Tercera', author: 'Ana' });
    await waitFor(async () => (await srv.store.listVersions(nameOf(w.boardA))).length === 2, 5_000, 'the automatic version after the interval');
    const [latest] = await srv.store.listVersions(nameOf(w.boardA));
    const version = await srv.store.getVersion(nameOf(w.boardA), latest!.id);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, version!.snapshot);
    expect(listCards(doc).map((c) => c.text)).toEqual(['Primera', 'Segunda', 'Tercera']);
    // Without writes, no more versions.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await srv.store.listVersions(nameOf(w.boardA))).toHaveLength(2);
  });

  it('thins a board’s old automatic versions and keeps the named ones', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const doc = nameOf(w.boardA);
    const now = Date.now();
    const snapshot = Y.encodeStateAsUpdate(await storedBoard(srv.store, w.boardA));
    // Three hours of a version a minute, two days ago, and a named one among them.
    for (let i = 0; i < 180; i++) await srv.store.addVersion(doc, { id: `auto-${i}`, kind: 'auto', label: '', createdAt: now - 2 * 86_400_000 - i * 60_000, createdBy: '' }, snapshot);
    await srv.store.addVersion(doc, { id: 'named', kind: 'named', label: 'Final', createdAt: now - 2 * 86_400_000 - 30 * 60_000, createdBy: 'Ana' }, snapshot);
    const removed = await srv.server.history.thin(doc);
    const left = await srv.store.listVersions(doc);
    expect(removed).toBe(181 - left.length);
    expect(left.filter((v) => v.kind === 'auto').length).toBeGreaterThanOrEqual(3);
    expect(left.filter((v) => v.kind === 'auto').length).toBeLessThanOrEqual(4);
    expect(left.some((v) => v.id === 'named')).toBe(true);
    expect(await srv.server.history.thin(doc)).toBe(0);
  });
});
