// A board written in the wrong shape by a stock y-websocket client, through a real server:
// the server removes what does not fit (a second client sees the board clean, the writer
// gets the removal too), keeps the good content written with it, logs the writer once,
// and no export, version, diff or template fails. Regression: on main, one
// `doc.getArray('cards').push(['oops'])` made all of them answer 500 (`m.get is not a function`).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { VersionInfo } from '../../shared/history.js';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import { api, createWorkshop, joinWorkshop, type BoardRef } from '../helpers/api.js';
import { nameOf, storedBoard, texts } from '../helpers/board.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';
import { POISONS, shapeProblems, writeAllPoisons, writePoison, type Poison } from '../support/board-poison.js';

const FORMATS = ['md', 'html', 'docx', 'pdf', 'pptx', 'json'] as const;
const SHAPE_WARNING = 'removed from a board what does not fit its shape';

async function workshopWithBoard(srv: TestServer): Promise<{ w: CreateWorkshopResponse; board: BoardRef }> {
  const w = await createWorkshop(srv.url, { title: 'Taller de forma', groups: [{ name: 'Grupo A', question: '¿Qué proponemos?' }] });
  return { w, board: { workshopId: w.id, groupId: w.groups[0]!.id } };
}

async function get(srv: TestServer, path: string, token: string): Promise<{ status: number; text: string }> {
  const res = await fetch(srv.url + path, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

/** Every document of the workshop answers 200, and none carries `marker`. */
async function expectEveryDocument(srv: TestServer, w: CreateWorkshopResponse, board: BoardRef, marker: string | undefined, good: string | null): Promise<void> {
  for (const format of FORMATS) {
    const res = await get(srv, `/api/workshops/${w.id}/export?format=${format}`, w.facilitatorToken);
    expect(res.status, `export ${format}`).toBe(200);
    if (marker && (format === 'md' || format === 'html' || format === 'json')) expect(res.text, `export ${format}`).not.toContain(marker);
    if (good && format === 'json') expect(res.text).toContain(good);
  }
  const versions = `/api/workshops/${w.id}/groups/${board.groupId}/versions`;
  const named = await api<VersionInfo>(srv.url, 'POST', versions, { token: w.facilitatorToken, json: { label: 'Con la forma' } });
  expect(named.status, 'a version').toBe(201);
  const view = await get(srv, `${versions}/${named.body.id}`, w.facilitatorToken);
  expect(view.status, 'its view').toBe(200);
  if (marker) expect(view.text).not.toContain(marker);
  expect((await get(srv, `${versions}/${named.body.id}/diff`, w.facilitatorToken)).status, 'its diff').toBe(200);
  expect((await api(srv.url, 'POST', `${versions}/${named.body.id}/restore`, { token: w.facilitatorToken })).status, 'its restore').toBe(200);
  expect((await api(srv.url, 'POST', `/api/workshops/${w.id}/template`, { token: w.facilitatorToken, json: { name: 'Plantilla' } })).status, 'save as template').toBe(201);
  expect((await api(srv.url, 'GET', '/healthz')).status).toBe(200);
}

describe('a board written in the wrong shape by a stock client', () => {
  it.each(POISONS.map((p) => [p.name, p] as const))('%s: removed for everyone, the rest kept, every document still made', async (_name, poison: Poison) => {
    const srv = await startServer();
    const { w, board } = await workshopWithBoard(srv);
    const eva = await joinWorkshop(srv.url, w, board.groupId, 'Eva');
    const writer = await syncedClient(srv.wsUrl, board, eva.token);
    const good = writePoison(writer.doc, poison);
    expect(shapeProblems(writer.doc)).not.toEqual([]);
    await roundTrip(writer);

    const reader = await syncedClient(srv.wsUrl, board, w.facilitatorToken);
    expect(shapeProblems(reader.doc)).toEqual([]);
    expect(texts(reader.doc)).toContain(good);
    await waitFor(() => shapeProblems(writer.doc).length === 0, 5_000, 'the removal to reach the writer');
    expect(writer.closeCodes).toEqual([]); // removal, not refusal: the writer stays connected
    expect(shapeProblems(await storedBoard(srv.store, board))).toEqual([]);

    const warnings = srv.log.entries.filter((e) => e.message === SHAPE_WARNING);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warn');
    expect(warnings[0]!.fields).toMatchObject({ principal: eva.participantId, name: 'Eva', workshop: w.id, board: nameOf(board) });

    await expectEveryDocument(srv, w, board, poison.marker, good);
    expect(srv.log.entries.filter((e) => e.level === 'error' || e.level === 'fatal')).toEqual([]);
  });

  it('logs a writer once however many bad updates it sends, and keeps syncing others', async () => {
    const srv = await startServer();
    const { w, board } = await workshopWithBoard(srv);
    const eva = await joinWorkshop(srv.url, w, board.groupId, 'Eva');
    const writer = await syncedClient(srv.wsUrl, board, eva.token);
    const other = await syncedClient(srv.wsUrl, board, w.facilitatorToken);
    for (let i = 0; i < 20; i++) writer.doc.getArray('cards').push([`oops ${i}`]);
    const good = writePoison(writer.doc, POISONS[0]!);
    // The bad items arrive with the good card; the server's removal follows in its own change.
    await waitFor(() => texts(other.doc).includes(good) && shapeProblems(other.doc).length === 0, 5_000, 'the good card, and the removal, to reach the other client');
    expect(srv.log.entries.filter((e) => e.message === SHAPE_WARNING)).toHaveLength(1);
  });

  it('a board stored in the wrong shape before the check (every poison at once) is read, exported and versioned without failing', async () => {
    const srv = await startServer();
    const { w, board } = await workshopWithBoard(srv);
    const doc = await storedBoard(srv.store, board);
    const before = Y.encodeStateVector(doc);
    const good = writePoison(doc, POISONS[0]!);
    writeAllPoisons(doc);
    await srv.store.appendUpdate(nameOf(board), Y.encodeStateAsUpdate(doc, before));

    const reader = await syncedClient(srv.wsUrl, board, w.facilitatorToken);
    expect(texts(reader.doc)).toContain(good);
    // Words of what no reader reads (the rest is read leniently: a body's unknown node keeps its words).
    await expectEveryDocument(srv, w, board, 'SECRETO', good);
    const archive = await get(srv, `/api/workshops/${w.id}/export?format=json`, w.facilitatorToken);
    for (const word of ['oops-cadena', 'SINID', 'BASURA', 'PAPELERA', 'HONDO']) expect(archive.text).not.toContain(word);
    expect(srv.log.entries.filter((e) => e.level === 'error' || e.level === 'fatal')).toEqual([]);
  });
});
