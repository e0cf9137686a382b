// The plenary board: who may write it through every path (board socket, HTTP, the
// server's own writer), pulls that keep their source across a restart, sources that
// change and are refreshed, merges that keep every source, and a vote over its items.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addCard, addSection, cardText, listSections, sectionBody, setTextByDiff } from '../../shared/board.js';
import { DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { PLENARY_BOARD } from '../../shared/doc-name.js';
import { addItem, listItems, readPlenary } from '../../shared/plenary.js';
import { api, setupWorkshop, type BoardRef } from '../helpers/api.js';
import { storedBoard, writeCard } from '../helpers/board.js';
import { connectSocket, makeLink } from '../helpers/facilitation.js';
import { startRestartableServer } from '../helpers/restartable-server.js';
import { startServer } from '../helpers/server.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';

type Setup = Awaited<ReturnType<typeof setupWorkshop>>;
const plenaryOf = (w: Setup): BoardRef => ({ workshopId: w.workshop.id, groupId: PLENARY_BOARD });

/** A link for `role` made with `link:create`, as the console makes it. */
async function linkToken(url: string, w: Setup, role: 'rapporteur' | 'projector' | 'organizer'): Promise<string> {
  const console = await connectSocket(url, w.facilitatorToken);
  const token = await makeLink(console, role);
  console.close();
  return token;
}

const pull = (url: string, w: Setup, token: string, body: unknown) =>
  api(url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items`, { token, json: body });
const items = (url: string, w: Setup, token: string) => api(url, 'GET', `/api/workshops/${w.workshop.id}/plenary/items`, { token });

describe('the plenary board: who writes it', () => {
  it('a participant reads it over the socket but its write is denied and not stored; a pull over HTTP is 403', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const participant = await w.participant('A');
    const cardId = await writeCard(t.wsUrl, w.boardA, participant, 'Más bibliotecas rurales');

    const reader = await syncedClient(t.wsUrl, plenaryOf(w), participant);
    addItem(reader.doc, { text: 'colado', sources: [], createdAt: 1 });
    await waitFor(() => reader.denied.length > 0, 5_000, 'a permission-denied message');
    expect(reader.denied).toEqual([DENIED_READ_ONLY]);
    expect(listItems(await storedBoard(t.store, plenaryOf(w)))).toEqual([]);

    const refused = await pull(t.url, w, participant, { groupId: w.boardA.groupId, cardId });
    expect(refused.status).toBe(403);
    expect((await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items/merge`, { token: participant, json: { itemIds: ['a', 'b'] } })).status).toBe(403);
    expect((await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items/x/refresh`, { token: participant })).status).toBe(403);
    // Reading is every role's.
    expect((await items(t.url, w, participant)).status).toBe(200);
  });

  it('projector and organizer read it and may not pull; the facilitator and a rapporteur pull', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const cardId = await writeCard(t.wsUrl, w.boardA, w.facilitatorToken, 'Formación docente');
    const body = { groupId: w.boardA.groupId, cardId };
    for (const role of ['projector', 'organizer'] as const) {
      const token = await linkToken(t.url, w, role);
      expect((await pull(t.url, w, token, body)).status, role).toBe(403);
      expect((await items(t.url, w, token)).status, role).toBe(200);
    }
    expect((await pull(t.url, w, w.facilitatorToken, body)).status).toBe(201);
    const rapporteur = await linkToken(t.url, w, 'rapporteur');
    expect((await pull(t.url, w, rapporteur, body)).status).toBe(201);
    expect((await items(t.url, w, rapporteur)).body).toHaveLength(2);
  });

  it('a rapporteur writes the plenary board over the socket, reads every group board and cannot write one; its link is listed and revocable', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const rapporteur = await linkToken(t.url, w, 'rapporteur');

    const plenary = await syncedClient(t.wsUrl, plenaryOf(w), rapporteur);
    const sectionId = addSection(plenary.doc, 'Recomendaciones generales');
    await roundTrip(plenary);
    expect(plenary.denied).toEqual([]);
    expect(listSections(await storedBoard(t.store, plenaryOf(w))).map((s) => s.id)).toContain(sectionId);

    await writeCard(t.wsUrl, w.boardB, w.facilitatorToken, 'del grupo B');
    const group = await syncedClient(t.wsUrl, w.boardB, rapporteur);
    expect(group.doc.getArray('cards').length).toBe(1);
    addCard(group.doc, { text: 'colado', author: 'relator' });
    await waitFor(() => group.denied.length > 0, 5_000, 'a permission-denied message');
    expect((await storedBoard(t.store, w.boardB)).getArray('cards').length).toBe(1);
    // Nor over HTTP: naming a version of a group's board needs write access.
    const version = await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/groups/${w.boardB.groupId}/versions`, { token: rapporteur, json: { label: 'v' } });
    expect(version.status).toBe(403);
    // Pulling from it is reading it.
    const cardId = (group.doc.getArray('cards').get(0) as Y.Map<unknown>).get('id') as string;
    expect((await pull(t.url, w, rapporteur, { groupId: w.boardB.groupId, cardId })).status).toBe(201);

    const links = await api(t.url, 'GET', `/api/workshops/${w.workshop.id}/links`, { token: w.facilitatorToken });
    const link = (links.body as Array<{ id: string; role: string }>).find((l) => l.role === 'rapporteur');
    expect(link).toBeDefined();
    expect((await api(t.url, 'DELETE', `/api/workshops/${w.workshop.id}/links/${link!.id}`, { token: w.facilitatorToken })).status).toBe(204);
    expect((await items(t.url, w, rapporteur)).status).toBe(401);
  });

  it('a locked plenary board refuses a pull with 423 until it is unlocked', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const cardId = await writeCard(t.wsUrl, w.boardA, w.facilitatorToken, 'Tema');
    const lock = (locked: boolean) => api(t.url, 'POST', `/api/workshops/${w.workshop.id}/groups/${PLENARY_BOARD}/lock`, { token: w.facilitatorToken, json: { locked } });
    expect((await lock(true)).status).toBe(200);
    expect((await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, cardId })).status).toBe(423);
    await lock(false);
    expect((await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, cardId })).status).toBe(201);
  });

  it('bad pulls are answered clearly: 400 for a bad body, 404 for a group, card or section that is not there', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const f = w.facilitatorToken;
    expect((await pull(t.url, w, f, { groupId: w.boardA.groupId })).status).toBe(400);
    expect((await pull(t.url, w, f, { groupId: w.boardA.groupId, cardId: 'x', sectionId: 'y' })).status).toBe(400);
    expect((await pull(t.url, w, f, { groupId: 'nogroup1', cardId: 'x' })).status).toBe(404);
    expect((await pull(t.url, w, f, { groupId: PLENARY_BOARD, cardId: 'x' })).status).toBe(404);
    expect((await pull(t.url, w, f, { groupId: w.boardA.groupId, cardId: 'nocard' })).status).toBe(404);
    expect((await pull(t.url, w, f, { groupId: w.boardA.groupId, sectionId: 'nosection' })).status).toBe(404);
    expect((await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items/merge`, { token: f, json: { itemIds: ['a', 'b'] } })).status).toBe(404);
  });

  it('the server keeps the plenary board to its own shape: a stray root or a bad item is removed', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const client = await syncedClient(t.wsUrl, plenaryOf(w), w.facilitatorToken);
    client.doc.transact(() => {
      client.doc.getArray<unknown>('items').push(['no es un mapa']);
      client.doc.getArray<unknown>('cards').push([new Y.Map()]);
    });
    addItem(client.doc, { text: 'bien', sources: [], createdAt: 1 });
    await waitFor(() => client.doc.getArray('items').length === 1 && client.doc.getArray('cards').length === 0, 5_000, 'the bad items to be removed');
    expect(listItems(await storedBoard(t.store, plenaryOf(w))).map((i) => i.text)).toEqual(['bien']);
  });
});

describe('pulling into the synthesis', () => {
  it('an item keeps its source (group, card, author, text) and survives a restart', async () => {
    const t = await startRestartableServer();
    const w = await setupWorkshop(t.url);
    const token = await w.participant('A', 'Lucía');
    const cardId = await writeCard(t.wsUrl, w.boardA, token, 'Huertas escolares');
    const res = await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, cardId });
    expect(res.status).toBe(201);
    const itemId = res.body.itemId as string;

    await t.restart();
    const listed = await items(t.url, w, w.facilitatorToken);
    expect(listed.body).toEqual([expect.objectContaining({ itemId, groupId: w.boardA.groupId, cardId, text: 'Huertas escolares', sourceChanged: false })]);
    const plenary = readPlenary(await storedBoard(t.store, plenaryOf(w)));
    expect(plenary.items[0]?.sources).toEqual([expect.objectContaining({ groupId: w.boardA.groupId, cardId, authors: ['Ana'], pulledText: 'Huertas escolares' })]);
  });

  it('sourceChanged turns true when the source card or section is edited, and false once the item takes the new text', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const group = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    const cardId = addCard(group.doc, { text: 'Agua potable', author: 'Ana' });
    const sectionId = listSections(group.doc)[0]!.id;
    const body = sectionBody(group.doc, sectionId)!;
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Conclusión del grupo')]);
    body.insert(0, [paragraph]);
    await roundTrip(group);

    const fromCard = (await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, cardId })).body.itemId as string;
    const fromSection = (await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, sectionId })).body.itemId as string;
    const changed = async () => Object.fromEntries(((await items(t.url, w, w.facilitatorToken)).body as Array<{ itemId: string; sourceChanged: boolean }>).map((i) => [i.itemId, i.sourceChanged]));
    expect(await changed()).toEqual({ [fromCard]: false, [fromSection]: false });

    setTextByDiff(cardText(group.doc, cardId)!, 'Agua potable para todas las escuelas');
    (paragraph.get(0) as Y.XmlText).insert(20, ' y sus razones');
    await roundTrip(group);
    expect(await changed()).toEqual({ [fromCard]: true, [fromSection]: true });
    const row = ((await items(t.url, w, w.facilitatorToken)).body as Array<{ itemId: string; sources: Array<{ currentText: string; pulledText: string }> }>).find((i) => i.itemId === fromCard);
    expect(row?.sources[0]).toMatchObject({ pulledText: 'Agua potable', currentText: 'Agua potable para todas las escuelas' });

    for (const itemId of [fromCard, fromSection]) {
      expect((await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items/${itemId}/refresh`, { token: w.facilitatorToken })).status).toBe(200);
    }
    expect(await changed()).toEqual({ [fromCard]: false, [fromSection]: false });
    const texts = listItems(await storedBoard(t.store, plenaryOf(w))).map((i) => i.text);
    expect(texts).toEqual(['Agua potable para todas las escuelas', 'Conclusión del grupo y sus razones']);
  });

  it('pulls a passage of a card or section: only its words, keeping its source; changed once the words are gone, whole after taking the new text', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const group = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    const cardId = addCard(group.doc, { text: 'Agua potable en cada escuela, y baños dignos', author: 'Ana' });
    const sectionId = listSections(group.doc)[0]!.id;
    const body = sectionBody(group.doc, sectionId)!;
    const first = new Y.XmlElement('paragraph');
    first.insert(0, [new Y.XmlText('Primero, la conectividad.')]);
    const second = new Y.XmlElement('paragraph');
    second.insert(0, [new Y.XmlText('Después, la formación docente.')]);
    body.insert(0, [first, second]);
    await roundTrip(group);
    const rapporteur = await linkToken(t.url, w, 'rapporteur');

    const fromCard = await pull(t.url, w, rapporteur, { groupId: w.boardA.groupId, cardId, passage: '  baños dignos ' });
    expect(fromCard.status).toBe(201);
    // A selection across the two paragraphs, joined by the browser its own way.
    const fromSection = await pull(t.url, w, rapporteur, { groupId: w.boardA.groupId, sectionId, passage: 'la conectividad.\n\nDespués' });
    expect(fromSection.status).toBe(201);
    const stored = readPlenary(await storedBoard(t.store, plenaryOf(w))).items;
    expect(stored.map((i) => i.text)).toEqual(['baños dignos', 'la conectividad.\n\nDespués']);
    expect(stored[0]?.sources).toEqual([expect.objectContaining({ groupId: w.boardA.groupId, cardId, authors: ['Ana'], passage: 'baños dignos', pulledText: 'baños dignos' })]);
    expect(stored[1]?.sources).toEqual([expect.objectContaining({ groupId: w.boardA.groupId, sectionId, passage: 'la conectividad.\n\nDespués' })]);

    // Words that are not in the source, an empty passage, a passage too long: refused, nothing added.
    const missing = await pull(t.url, w, rapporteur, { groupId: w.boardA.groupId, cardId, passage: 'baños públicos' });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ error: { code: 'passage_not_found', message: expect.stringMatching(/not in that card's text now/) } });
    expect((await pull(t.url, w, rapporteur, { groupId: w.boardA.groupId, cardId, passage: '   ' })).status).toBe(400);
    expect((await pull(t.url, w, rapporteur, { groupId: w.boardA.groupId, cardId, passage: 'x'.repeat(4001) })).status).toBe(400);
    expect(listItems(await storedBoard(t.store, plenaryOf(w)))).toHaveLength(2);

    type Row = { itemId: string; sourceChanged: boolean; sources: Array<{ passage?: string; currentText: string | null }> };
    const rows = async () => new Map(((await items(t.url, w, rapporteur)).body as Row[]).map((r) => [r.itemId, r]));
    const cardItem = fromCard.body.itemId as string;
    // An edit elsewhere in the card leaves the passage as it was: not changed.
    setTextByDiff(cardText(group.doc, cardId)!, 'Agua potable en cada escuela rural, y baños dignos');
    await roundTrip(group);
    expect((await rows()).get(cardItem)).toMatchObject({ sourceChanged: false, sources: [{ passage: 'baños dignos', currentText: 'baños dignos' }] });
    // An edit inside it: changed, and the source's text now is the whole card.
    setTextByDiff(cardText(group.doc, cardId)!, 'Agua potable en cada escuela rural, y baños accesibles');
    await roundTrip(group);
    expect((await rows()).get(cardItem)).toMatchObject({ sourceChanged: true, sources: [{ currentText: 'Agua potable en cada escuela rural, y baños accesibles' }] });
    expect((await rows()).get(fromSection.body.itemId as string)?.sourceChanged).toBe(false);

    // Taking the new text takes the whole card: the source is a passage no more.
    expect((await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items/${cardItem}/refresh`, { token: rapporteur })).status).toBe(200);
    const after = (await rows()).get(cardItem);
    expect(after?.sourceChanged).toBe(false);
    expect(after?.sources[0]?.passage).toBeUndefined();
    expect(listItems(await storedBoard(t.store, plenaryOf(w))).find((i) => i.id === cardItem)?.text).toBe('Agua potable en cada escuela rural, y baños accesibles');
    group.destroy();
  });

  it('merging two passages of one card keeps both as sources', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const cardId = await writeCard(t.wsUrl, w.boardA, w.facilitatorToken, 'Bibliotecas móviles y radios comunitarias');
    const one = (await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, cardId, passage: 'Bibliotecas móviles' })).body.itemId as string;
    const two = (await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, cardId, passage: 'radios comunitarias' })).body.itemId as string;
    expect((await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items/merge`, { token: w.facilitatorToken, json: { itemIds: [one, two] } })).status).toBe(200);
    const [merged] = listItems(await storedBoard(t.store, plenaryOf(w)));
    expect(merged?.text).toBe('Bibliotecas móviles\n\nradios comunitarias');
    expect(merged?.sources.map((s) => s.passage)).toEqual(['Bibliotecas móviles', 'radios comunitarias']);
  });

  it('a merged item lists every source and joins the texts; the merged ones are gone', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const a = await writeCard(t.wsUrl, w.boardA, w.facilitatorToken, 'Transporte rural');
    const b = await writeCard(t.wsUrl, w.boardB, w.facilitatorToken, 'Rutas escolares seguras');
    const rapporteur = await linkToken(t.url, w, 'rapporteur');
    const first = (await pull(t.url, w, rapporteur, { groupId: w.boardA.groupId, cardId: a })).body.itemId as string;
    const second = (await pull(t.url, w, rapporteur, { groupId: w.boardB.groupId, cardId: b })).body.itemId as string;

    const merged = await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items/merge`, { token: rapporteur, json: { itemIds: [first, second] } });
    expect(merged.status).toBe(200);
    expect(merged.body.itemId).toBe(first);
    const listed = (await items(t.url, w, rapporteur)).body as Array<{ itemId: string; text: string; sources: Array<{ groupId: string; cardId: string }> }>;
    expect(listed).toHaveLength(1);
    expect(listed[0]!.text).toBe('Transporte rural\n\nRutas escolares seguras');
    expect(listed[0]!.sources.map((s) => [s.groupId, s.cardId])).toEqual([[w.boardA.groupId, a], [w.boardB.groupId, b]]);
  });
});

describe('voting over the plenary items', () => {
  it('a round on the plenary board takes dots on its items and ranks them with their texts', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const a = await writeCard(t.wsUrl, w.boardA, w.facilitatorToken, 'Primera idea');
    const b = await writeCard(t.wsUrl, w.boardB, w.facilitatorToken, 'Segunda idea');
    const one = (await pull(t.url, w, w.facilitatorToken, { groupId: w.boardA.groupId, cardId: a })).body.itemId as string;
    const two = (await pull(t.url, w, w.facilitatorToken, { groupId: w.boardB.groupId, cardId: b })).body.itemId as string;

    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'vote:open', groupIds: [PLENARY_BOARD], budget: 3, maxPerCard: 3, results: 'on-close' })).toMatchObject({ ok: true });
    const voters = [await connectSocket(t.url, await w.participant('A', 'Uno')), await connectSocket(t.url, await w.participant('B', 'Dos'))];
    expect(await voters[0]!.command({ type: 'vote:set', groupId: PLENARY_BOARD, cardId: two, dots: 2 })).toMatchObject({ ok: true });
    expect(await voters[1]!.command({ type: 'vote:set', groupId: PLENARY_BOARD, cardId: two, dots: 1 })).toMatchObject({ ok: true });
    expect(await voters[1]!.command({ type: 'vote:set', groupId: PLENARY_BOARD, cardId: one, dots: 1 })).toMatchObject({ ok: true });
    // A group's card is not on this ballot, nor an item that does not exist.
    expect(await voters[0]!.command({ type: 'vote:set', groupId: w.boardA.groupId, cardId: a, dots: 1 })).toMatchObject({ ok: false });
    expect(await voters[0]!.command({ type: 'vote:set', groupId: PLENARY_BOARD, cardId: 'noitem', dots: 1 })).toMatchObject({ ok: false, error: 'not_found' });

    expect(await facilitator.command({ type: 'vote:close' })).toMatchObject({ ok: true });
    const round = (await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: w.facilitatorToken })).body.session.round;
    expect(round.ranking).toEqual([
      { groupId: PLENARY_BOARD, cardId: two, dots: 3, voters: 2, text: 'Segunda idea' },
      { groupId: PLENARY_BOARD, cardId: one, dots: 1, voters: 1, text: 'Primera idea' },
    ]);
  });
});
