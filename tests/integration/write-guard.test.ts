// One write guard: every path that writes into a board — a client's update, the Markdown
// import, a version restore, the reveal of private cards, a promoted card — is refused
// while the board is locked, and nothing of the refused write reaches the board, the
// store or anyone connected.
import { describe, expect, it } from 'vitest';
import { addCard, listCards, listSections, promoteCard, readBoardContent, sectionBody } from '../../shared/board.js';
import { DENIED_READ_ONLY } from '../../shared/close-codes.js';
import type { VersionInfo } from '../../shared/history.js';
import { WriteRefused } from '../../server/docsync/board-writer.js';
import type { Principal } from '../../server/auth/principal.js';
import { api, setupWorkshop, type BoardRef } from '../helpers/api.js';
import { hasCard, nameOf, storedBoard } from '../helpers/board.js';
import { connectSocket } from '../helpers/facilitation.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

const lockPath = (b: BoardRef) => `/api/workshops/${b.workshopId}/groups/${b.groupId}/lock`;
const versionsPath = (b: BoardRef) => `/api/workshops/${b.workshopId}/groups/${b.groupId}/versions`;

async function importMarkdown(srv: TestServer, board: BoardRef, token: string, body: string) {
  const res = await fetch(`${srv.url}/api/workshops/${board.workshopId}/groups/${board.groupId}/import?mode=replace`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/markdown; charset=utf-8' },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

async function setLock(srv: TestServer, board: BoardRef, token: string, locked: boolean): Promise<void> {
  expect((await api(srv.url, 'POST', lockPath(board), { token, json: { locked } })).status).toBe(200);
}

const facilitatorOf = (workshopId: string): Principal => ({ role: 'facilitator', workshopId, groupId: null, participantId: null, name: 'Facilitación' });

describe('the write guard, on a locked board', () => {
  it('refuses the Markdown import with 423 before any work: the board, the store and its versions stay as they were', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const watcher = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const before = readBoardContent(await storedBoard(srv.store, w.boardA));
    await setLock(srv, w.boardA, w.facilitatorToken, true);

    const refused = await importMarkdown(srv, w.boardA, w.facilitatorToken, '# Grupo A\n\n## Importado\n\nTexto que no debe entrar.\n');
    expect(refused.status).toBe(423);
    expect(refused.body.error).toMatchObject({ code: 'locked', message: expect.stringContaining('locked') });
    await roundTrip(watcher);
    expect(readBoardContent(watcher.doc)).toEqual(before);
    expect(readBoardContent(await storedBoard(srv.store, w.boardA))).toEqual(before);
    expect((await srv.store.listVersions(nameOf(w.boardA))).map((v) => v.kind)).not.toContain('before-import');

    await setLock(srv, w.boardA, w.facilitatorToken, false);
    const accepted = await importMarkdown(srv, w.boardA, w.facilitatorToken, '# Grupo A\n\n## Importado\n\nTexto que sí entra.\n');
    expect(accepted.status).toBe(200);
    await waitFor(() => listSections(watcher.doc).some((s) => s.heading === 'Importado'), 5_000, 'the import to reach the watcher');
  });

  it('refuses a version restore with 423, from the facilitator too; the board keeps what it has', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const ana = await w.participant('A', 'Ana');
    const a = await syncedClient(srv.wsUrl, w.boardA, ana);
    addCard(a.doc, { text: 'Antes', author: 'Ana' });
    await roundTrip(a);
    const named = await api<VersionInfo>(srv.url, 'POST', versionsPath(w.boardA), { token: ana, json: { label: 'v1' } });
    addCard(a.doc, { text: 'Después', author: 'Ana' });
    await roundTrip(a);
    await setLock(srv, w.boardA, w.facilitatorToken, true);

    for (const token of [w.facilitatorToken, ana]) {
      const res = await api(srv.url, 'POST', `${versionsPath(w.boardA)}/${named.body.id}/restore`, { token });
      expect(res.status).toBe(423);
      expect(res.body.error.code).toBe('locked');
    }
    // Another group's participant is refused as a reader, not for the lock.
    const bea = await w.participant('B', 'Bea');
    expect((await api(srv.url, 'POST', `${versionsPath(w.boardA)}/${named.body.id}/restore`, { token: bea })).status).toBe(403);
    expect(listCards(await storedBoard(srv.store, w.boardA)).map((c) => c.text)).toEqual(['Antes', 'Después']);
    expect((await srv.store.listVersions(nameOf(w.boardA))).map((v) => v.kind)).not.toContain('before-restore');
  });

  it('refuses private:reveal while a board with held cards is locked, naming it; nothing is revealed and the cards stay held', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const facilitator = await connectSocket(srv.url, w.facilitatorToken);
    const ana = await connectSocket(srv.url, await w.participant('A', 'Ana'));
    const beto = await connectSocket(srv.url, await w.participant('B', 'Beto'));
    const boardA = await syncedClient(srv.wsUrl, w.boardA, w.facilitatorToken);
    expect(await facilitator.command({ type: 'private:set', enabled: true })).toEqual({ ok: true });
    expect(await ana.command({ type: 'card:add-private', text: 'Idea de Ana', color: 'yellow' })).toMatchObject({ ok: true });
    expect(await beto.command({ type: 'card:add-private', text: 'Idea de Beto', color: 'pink' })).toMatchObject({ ok: true });
    expect(await facilitator.command({ type: 'lock:set', groupId: w.boardB.groupId, locked: true })).toEqual({ ok: true });

    const refused = await facilitator.command({ type: 'private:reveal' });
    expect(refused).toMatchObject({ ok: false, error: 'locked', message: expect.stringContaining('Grupo B') });
    if (!refused.ok) expect(refused.message).not.toContain('Grupo A');
    await roundTrip(boardA);
    expect(listCards(boardA.doc)).toEqual([]);
    expect(listCards(await storedBoard(srv.store, w.boardA))).toEqual([]);
    expect(listCards(await storedBoard(srv.store, w.boardB))).toEqual([]);
    const session = await srv.server.sessions.open(w.workshop.id);
    expect(session.heldCards.map((c) => c.text).sort()).toEqual(['Idea de Ana', 'Idea de Beto']);
    expect(session.state.privateCards).toBe(true);

    // Unlocked, the same reveal writes both.
    expect(await facilitator.command({ type: 'lock:set', groupId: w.boardB.groupId, locked: false })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'private:reveal' })).toEqual({ ok: true });
    await waitFor(() => hasCard(boardA, 'Idea de Ana'), 5_000, 'the revealed card');
    expect(listCards(await storedBoard(srv.store, w.boardB)).map((c) => c.text)).toEqual(['Idea de Beto']);
  });

  it('denies a card promoted into a section from a client of the locked board', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const a = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    addCard(a.doc, { text: 'Para promover', author: 'Ana' });
    await roundTrip(a);
    await setLock(srv, w.boardA, w.facilitatorToken, true);
    const section = listSections(a.doc)[0]!;
    expect(promoteCard(a.doc, listCards(a.doc)[0]!.id, section.id)).toBe(true);
    await roundTrip(a);
    expect(a.denied).toEqual([DENIED_READ_ONLY]);
    const stored = await storedBoard(srv.store, w.boardA);
    expect(sectionBody(stored, section.id)?.length).toBe(0);
  });

  it('asks again when a server write’s turn comes: a lock set while it waited in the board’s queue refuses it', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const a = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const board = await srv.server.registry.open(nameOf(w.boardA));
    // The store holds the next board update until released; a compaction holds the board's queue until it is stored.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const append = srv.store.appendUpdate.bind(srv.store);
    srv.store.appendUpdate = async (doc, update) => {
      await gate;
      return append(doc, update);
    };
    addCard(a.doc, { text: 'En camino al disco', author: 'Ana' });
    await waitFor(() => listCards(board.doc).length === 1, 5_000, 'the card to be applied');
    const compacting = board.compact();
    const write = srv.server.writer.change(facilitatorOf(w.workshop.id), w.boardA, (doc) => void addCard(doc, { text: 'Escrita tarde', author: 'Facilitación' }));
    const outcome = write.then(() => 'written', (err: unknown) => err);
    // The write passed the first check and waits in the queue; the facilitator locks meanwhile.
    expect(await srv.server.sessions.execute(facilitatorOf(w.workshop.id), { type: 'lock:set', groupId: w.boardA.groupId, locked: true })).toEqual({ ok: true });
    release();
    await compacting;
    const result = await outcome;
    expect(result).toBeInstanceOf(WriteRefused);
    expect((result as WriteRefused).reason).toBe('locked');
    expect(listCards(board.doc).map((c) => c.text)).toEqual(['En camino al disco']);
    expect(listCards(await storedBoard(srv.store, w.boardA)).map((c) => c.text)).toEqual(['En camino al disco']);
  });
});
