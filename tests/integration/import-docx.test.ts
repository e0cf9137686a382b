// Word documents through the HTTP import route: a .docx is written to the live board (every
// connected client receives it); each bad input is refused with its status and code, the
// board untouched; and zip bombs sent at once, read in the import workers, leave /healthz
// answering at once.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { readBoardContent, type BoardContent } from '../../shared/board.js';
import { DOCX_CODES, DOCX_LIMITS, DOCX_MEDIA_TYPE } from '../../shared/docx-import.js';
import { consolidate } from '../../server/export/consolidate.js';
import { renderDocx } from '../../server/export/docx.js';
import { setupWorkshop, type BoardRef } from '../helpers/api.js';
import { startServer } from '../helpers/server.js';
import { pollHealthz } from '../helpers/threads.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';
import { FIXTURES, WORKSHOP, boardFromMarkdown, fixture } from '../support/export-fixtures.js';
import { zipBytes } from '../support/zip-bytes.js';

const importPath = (b: BoardRef) => `/api/workshops/${b.workshopId}/groups/${b.groupId}/import?mode=replace`;

interface Answer {
  status: number;
  code?: string;
  message?: string;
  body?: { title: string | null; sections: string[]; drawings?: number };
}

async function post(url: string, body: Uint8Array, token: string, contentType = DOCX_MEDIA_TYPE): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, body: new Uint8Array(body) });
  const json = (await res.json().catch(() => null)) as ({ error?: { code: string; message: string } } & Answer['body']) | null;
  return { status: res.status, code: json?.error?.code, message: json?.error?.message, body: json && !json.error ? json : undefined };
}

/** The fixture group's board exported by our DOCX export, as a facilitator would download it. */
async function exportedDocx(): Promise<{ docx: Buffer; board: BoardContent; name: string }> {
  const { file, name } = FIXTURES[0];
  const board = boardFromMarkdown(fixture(file), name);
  const docx = await renderDocx(consolidate(WORKSHOP, [{ group: { id: 'g', name, question: '', position: 0 }, board }]));
  return { docx, board, name };
}

async function withAltChunk(docx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const doc = (await zip.file('word/document.xml')?.async('string')) ?? '';
  const rels = (await zip.file('word/_rels/document.xml.rels')?.async('string')) ?? '';
  zip.file('word/document.xml', doc.replace('<w:body>', '<w:body><w:altChunk r:id="rIdX"/>'));
  zip.file('word/_rels/document.xml.rels', rels.replace('</Relationships>', '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="chunk.mht"/></Relationships>'));
  zip.file('word/chunk.mht', 'otro documento');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function withExternalImage(docx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const rels = (await zip.file('word/_rels/document.xml.rels')?.async('string')) ?? '';
  zip.file('word/_rels/document.xml.rels', rels.replace('</Relationships>', '<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://127.0.0.1:9/x.png" TargetMode="External"/></Relationships>'));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('DOCX import over HTTP', () => {
  it('writes a .docx to the live board: 200 with its title and sections, and every client receives it', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const watcher = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const { docx, board, name } = await exportedDocx();

    const answer = await post(`${srv.url}${importPath(w.boardA)}`, docx, w.facilitatorToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ title: name, sections: board.sections.map((s) => s.heading), drawings: 0 });
    await waitFor(() => readBoardContent(watcher.doc).meta.title === name, 5_000, 'the import to reach the watcher');
    const seen = readBoardContent(watcher.doc);
    expect(seen.meta.title).toBe(name);
    expect(seen.sections.map(({ heading, body }) => ({ heading, body }))).toEqual(board.sections.map(({ heading, body }) => ({ heading, body })));
  });

  it('refuses each bad input with its status and code, and the board is unchanged', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const watcher = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const before = readBoardContent(watcher.doc);
    const { docx } = await exportedDocx();
    const url = `${srv.url}${importPath(w.boardA)}`;
    const cases: Array<[string, Uint8Array, number, string, string?]> = [
      ['not a zip', Buffer.from('esto no es un documento de Word'), 400, DOCX_CODES.notZip],
      ['a zip without a document', zipBytes([{ name: 'hola.txt', data: 'hola' }]), 400, DOCX_CODES.notDocx],
      ['a bomb that declares its size', zipBytes([{ name: 'word/document.xml', data: Buffer.alloc(DOCX_LIMITS.partBytes + 1, 0x20) }]), 413, DOCX_CODES.tooLarge],
      ['a bomb that lies about its size', zipBytes([{ name: 'word/document.xml', data: Buffer.alloc(DOCX_LIMITS.partBytes * 2, 0x20), declaredSize: 1024 }]), 413, DOCX_CODES.tooLarge],
      ['another document inside (altChunk)', await withAltChunk(docx), 422, DOCX_CODES.embedded],
      ['a picture linked from outside', await withExternalImage(docx), 422, DOCX_CODES.external],
      ['over the body limit', Buffer.concat([docx, Buffer.alloc(DOCX_LIMITS.bodyBytes)]), 413, 'too_large'],
      ['a .docx sent as something else', docx, 415, 'unsupported_media_type', 'application/octet-stream'],
    ];
    for (const [name, body, status, code, type] of cases) {
      const answer = await post(url, body, w.facilitatorToken, type);
      expect({ name, status: answer.status, code: answer.code }).toEqual({ name, status, code });
      expect(answer.message).toBeTruthy();
    }
    await roundTrip(watcher);
    expect(readBoardContent(watcher.doc)).toEqual(before);
  });

  it('/healthz stays fast while zip bombs are read and refused', async () => {
    const srv = await startServer({ imports: { workers: 2 } });
    const w = await setupWorkshop(srv.url);
    const url = `${srv.url}${importPath(w.boardA)}`;
    // The workers start on first use: an accepted import first, so the bombs meet them running.
    expect((await post(url, (await exportedDocx()).docx, w.facilitatorToken)).status).toBe(200);
    await waitFor(() => srv.log.entries.filter((e) => e.message === 'an import worker is ready').length === 2, 20_000, 'both import workers to be ready');

    // Each about 64 KB on the wire, 64 MB unpacked; half of them say so, half lie.
    const bombs = Array.from({ length: 8 }, (_, i) =>
      zipBytes([{ name: 'word/document.xml', data: Buffer.alloc(64 * 1024 * 1024, 0x20), ...(i % 2 ? { declaredSize: 4096 } : {}) }]));
    const polling = pollHealthz(srv.url);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Wave after wave for over a second, so that the poller measures while the bombs are read.
    const answers: Answer[] = [];
    for (const until = performance.now() + 1_500; performance.now() < until;) {
      for (const answer of await Promise.all(bombs.map((bomb) => post(url, bomb, w.facilitatorToken)))) answers.push(answer);
    }
    const latencies = await polling.stop();

    expect(new Set(answers.map((a) => `${a.status} ${a.code}`))).toEqual(new Set([`413 ${DOCX_CODES.tooLarge}`]));
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted.length).toBeGreaterThan(3);
    // Typically ~5 ms; the bound on the slowest is generous for a loaded 2-core machine.
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
    expect(sorted.at(-1)).toBeLessThan(750);
  });
});
