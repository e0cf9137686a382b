// Exports are rendered off the event loop. A PDF of a 50-group workshop with its annex is
// seconds of CPU; rendered on the main thread, it held every board, socket and /healthz of
// the server that long. Now the main thread builds the model from the boards and an export
// worker renders it: while a PDF and a Word document of such a workshop are rendered,
// /healthz answers at once and another board keeps syncing. A rendering past its time
// budget is refused with 503 `export_too_long`, its worker replaced, and the next export
// is served.
import { describe, expect, it } from 'vitest';
import { EXPORT_TOO_LONG } from '../../shared/export-errors.js';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import { toArchive } from '../../server/export/json-archive.js';
import { joinWorkshop } from '../helpers/api.js';
import { keepSyncing } from '../helpers/board.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pollHealthz } from '../helpers/threads.js';
import { syncedClient } from '../helpers/yclient.js';
import { fixtureModel } from '../support/export-fixtures.js';

const GROUPS = 50;
const CARDS = 60;

/** A new workshop of 50 groups, each board one of the two fixture documents and 60 cards, made from an archive. */
async function bigWorkshop(srv: TestServer): Promise<CreateWorkshopResponse> {
  const archive = toArchive(fixtureModel());
  const [b, d] = archive.groups as [typeof archive.groups[number], typeof archive.groups[number]];
  archive.groups = Array.from({ length: GROUPS }, (_, g) => {
    const source = g % 2 === 0 ? b : d;
    const cards = Array.from({ length: CARDS }, (_, c) => ({
      id: `c${c}`, text: `Idea ${c + 1} del grupo ${g + 1}: fortalecer los espacios de articulación territorial existentes`, author: `Persona ${c + 1}`, color: 'yellow' as const, createdAt: archive.workshop.createdAt,
    }));
    return { ...source, id: `g${g}`, name: `Grupo ${g + 1}`, board: { ...source.board, cards } };
  });
  const res = await fetch(`${srv.url}/api/workshops/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(archive) });
  expect(res.status).toBe(201);
  return (await res.json()) as CreateWorkshopResponse;
}

async function exportOf(srv: TestServer, w: CreateWorkshopResponse, query: string): Promise<{ status: number; bytes: Buffer; ms: number }> {
  const began = performance.now();
  const res = await fetch(`${srv.url}/api/workshops/${w.id}/export?${query}`, { headers: { authorization: `Bearer ${w.facilitatorToken}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, ms: performance.now() - began };
}

describe('exports are rendered in worker threads', () => {
  it('renders a 50-group PDF and Word document while /healthz stays fast and a board keeps syncing', async () => {
    const srv = await startServer();
    const w = await bigWorkshop(srv);
    const board = { workshopId: w.id, groupId: w.groups[0]!.id };
    const writer = await syncedClient(srv.wsUrl, board, (await joinWorkshop(srv.url, w, board.groupId, 'Ana')).token);
    const reader = await syncedClient(srv.wsUrl, board, (await joinWorkshop(srv.url, w, board.groupId, 'Beto')).token);
    // The worker starts on first use and warms its renderers up: a small export first, so the big ones meet it running.
    expect((await exportOf(srv, w, `format=md&groups=${board.groupId}`)).status).toBe(200);

    const poller = pollHealthz(srv.url);
    const syncing = keepSyncing(writer, [reader]);
    const [pdf, docx] = await Promise.all([exportOf(srv, w, 'format=pdf&annex=1'), exportOf(srv, w, 'format=docx&annex=1')]);
    const syncs = await syncing.stop();
    const latencies = (await poller.stop()).sort((a, b) => a - b);

    expect(pdf.status).toBe(200);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(docx.status).toBe(200);
    expect(docx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    // On the main thread the PDF alone held the loop for over a second here. Now /healthz
    // answers within 100 ms (~5 ms typically), and its slowest answer is far shorter than the
    // export: rendered inline, a request sent during it would have waited for all of it. The
    // bounds are generous for the shared 2-core test machine, as in import-guard.test.ts.
    expect(latencies.length).toBeGreaterThan(5);
    expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(100);
    expect(latencies.at(-1)).toBeLessThan(750);
    expect(latencies.at(-1)).toBeLessThan(pdf.ms);
    expect(syncs.length).toBeGreaterThan(0);
    expect(Math.max(...syncs)).toBeLessThan(1_000);
  });

  it('refuses a rendering past its time budget with 503 export_too_long, replaces the worker and serves the next export', async () => {
    const srv = await startServer({ exports: { timeBudgetMs: 300 } });
    const w = await bigWorkshop(srv);
    const res = await fetch(`${srv.url}/api/workshops/${w.id}/export?format=pdf&annex=1`, { headers: { authorization: `Bearer ${w.facilitatorToken}` } });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: EXPORT_TOO_LONG, message: expect.stringContaining('longer than 0.3 s') } });
    expect(srv.log.entries.some((e) => e.message === 'an export took longer than its time budget: its worker is ended')).toBe(true);

    const small = await exportOf(srv, w, `format=md&groups=${w.groups[1]!.id}`);
    expect(small.status).toBe(200);
    expect(small.bytes.toString('utf8')).toContain('# Grupo 2');
  });
});
