// Board versions: automatic, at phase changes and named; viewed, compared and restored
// while clients are connected.
import { describe, expect, it } from 'vitest';
import { addCard, listSections, readBoardContent, sectionBody, setTextByDiff, sectionHeading } from '../../shared/board.js';
import { writeRichText } from '../../shared/rich-text-yjs.js';
import { text } from '../../shared/rich-text.js';
import type { VersionDiff, VersionInfo } from '../../shared/history.js';
import { api, setupWorkshop } from '../helpers/api.js';
import { hasCard, texts } from '../helpers/board.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';

const versionsPath = (b: { workshopId: string; groupId: string }) => `/api/workshops/${b.workshopId}/groups/${b.groupId}/versions`;

describe('board history', () => {
  it('restores a named version while two clients are connected: both receive it, and it is stored', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const [ana, bruno] = [await w.participant('A', 'Ana'), await w.participant('A', 'Bruno')];
    const a = await syncedClient(srv.wsUrl, w.boardA, ana);
    const b = await syncedClient(srv.wsUrl, w.boardA, bruno);

    const sectionId = listSections(a.doc)[0]!.id;
    a.doc.transact(() => writeRichText(sectionBody(a.doc, sectionId)!, [{ type: 'paragraph', content: [text('Liderazgo local.')] }]));
    addCard(a.doc, { text: 'Primera idea', author: 'Ana' });
    await waitFor(() => hasCard(b, 'Primera idea'), 5_000, 'b to see the first card');

    const named = await api<VersionInfo>(srv.url, 'POST', versionsPath(w.boardA), { token: ana, json: { label: 'Antes de la plenaria' } });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ kind: 'named', label: 'Antes de la plenaria', createdBy: 'Ana' });

    // Later work that the restore must undo.
    addCard(b.doc, { text: 'Idea posterior', author: 'Bruno' });
    setTextByDiff(sectionHeading(b.doc, sectionId)!, 'Conclusiones finales');
    await waitFor(() => hasCard(a, 'Idea posterior') && listSections(a.doc)[0]?.heading === 'Conclusiones finales', 5_000, 'a to see the later edits');

    const diff = await api<VersionDiff>(srv.url, 'GET', `${versionsPath(w.boardA)}/${named.body.id}/diff`, { token: bruno });
    expect(diff.status).toBe(200);
    expect(diff.body.cards).toEqual({ added: ['Idea posterior'], removed: [] });
    expect(diff.body.sections[0]).toMatchObject({ heading: 'Conclusiones finales', previousHeading: 'Conclusiones y Recomendaciones', status: 'changed' });

    const view = await api(srv.url, 'GET', `${versionsPath(w.boardA)}/${named.body.id}`, { token: bruno });
    expect(view.body.content.cards.map((c: { text: string }) => c.text)).toEqual(['Primera idea']);

    const restored = await api(srv.url, 'POST', `${versionsPath(w.boardA)}/${named.body.id}/restore`, { token: bruno });
    expect(restored.status).toBe(200);
    expect(restored.body.backup.kind).toBe('before-restore');

    for (const client of [a, b]) {
      await waitFor(() => !hasCard(client, 'Idea posterior') && listSections(client.doc)[0]?.heading === 'Conclusiones y Recomendaciones', 5_000, 'the restore to reach every client');
      expect(texts(client.doc)).toEqual(['Primera idea']);
      expect(readBoardContent(client.doc).sections[0]?.body).toEqual([{ type: 'paragraph', content: [text('Liderazgo local.')] }]);
    }
    // A client connecting after the restore gets the restored board from the store.
    const c = await syncedClient(srv.wsUrl, w.boardA, w.facilitatorToken);
    expect(texts(c.doc)).toEqual(['Primera idea']);

    // And the state before the restore is itself a version that can be restored.
    const list = await api<VersionInfo[]>(srv.url, 'GET', versionsPath(w.boardA), { token: ana });
    expect(list.body.map((v) => v.kind)).toEqual(expect.arrayContaining(['before-restore', 'named']));
  });

  it('takes a version automatically on activity and at each phase change', async () => {
    const srv = await startServer({ autoVersionEveryMs: 60_000 });
    const w = await setupWorkshop(srv.url);
    const ana = await w.participant('A', 'Ana');
    const a = await syncedClient(srv.wsUrl, w.boardA, ana);
    addCard(a.doc, { text: 'uno', author: 'Ana' });
    addCard(a.doc, { text: 'dos', author: 'Ana' });
    await waitFor(async () => (await api<VersionInfo[]>(srv.url, 'GET', versionsPath(w.boardA), { token: ana })).body.length > 0, 5_000, 'an automatic version');
    const autos = (await api<VersionInfo[]>(srv.url, 'GET', versionsPath(w.boardA), { token: ana })).body;
    expect(autos.map((v) => v.kind)).toEqual(['auto']); // at most one per interval

    const reply = await srv.server.sessions.execute({ role: 'facilitator', workshopId: w.workshop.id, groupId: null, participantId: null, name: '' }, { type: 'phase:start', index: 1 });
    expect(reply.ok).toBe(true);
    for (const board of [w.boardA, w.boardB]) {
      await waitFor(async () => (await api<VersionInfo[]>(srv.url, 'GET', versionsPath(board), { token: w.facilitatorToken })).body.some((v) => v.kind === 'phase'), 5_000, 'a phase version of every board');
    }
    const phaseVersion = (await api<VersionInfo[]>(srv.url, 'GET', versionsPath(w.boardA), { token: ana })).body.find((v) => v.kind === 'phase');
    expect(phaseVersion?.label).toBe('Trabajo en grupos');
  });

  it('reading needs access to the board; naming and restoring need write access', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const [ana, bea] = [await w.participant('A', 'Ana'), await w.participant('B', 'Bea')];
    const named = await api<VersionInfo>(srv.url, 'POST', versionsPath(w.boardA), { token: ana, json: { label: 'v1' } });
    expect(named.status).toBe(201);

    expect((await api(srv.url, 'GET', versionsPath(w.boardA), { token: bea })).status).toBe(200); // participants read every board
    expect((await api(srv.url, 'POST', versionsPath(w.boardA), { token: bea, json: { label: 'x' } })).status).toBe(403);
    expect((await api(srv.url, 'POST', `${versionsPath(w.boardA)}/${named.body.id}/restore`, { token: bea })).status).toBe(403);
    expect((await api(srv.url, 'GET', versionsPath(w.boardA))).status).toBe(401);
    expect((await api(srv.url, 'GET', `${versionsPath(w.boardA)}/nope`, { token: ana })).status).toBe(404);
    expect((await api(srv.url, 'POST', versionsPath(w.boardA), { token: ana, json: { label: '' } })).status).toBe(400);
    expect((await api(srv.url, 'GET', `/api/workshops/${w.workshop.id}/groups/nope/versions`, { token: ana })).status).toBe(404);

    // Locked: nobody restores, not even the facilitator (423 Locked: the write guard's answer).
    const lock = await api(srv.url, 'POST', `/api/workshops/${w.workshop.id}/groups/${w.boardA.groupId}/lock`, { token: w.facilitatorToken, json: { locked: true } });
    expect(lock.status).toBe(200);
    expect((await api(srv.url, 'POST', `${versionsPath(w.boardA)}/${named.body.id}/restore`, { token: w.facilitatorToken })).status).toBe(423);
  });
});
