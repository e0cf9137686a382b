// Export and import over HTTP:
//   GET  /api/workshops/:id/export?format=md|html|docx|pdf|pptx|json[&groups=a,b][&annex=1][&synthesis=only|with|none]
//        facilitator or organizer of that workshop
//   POST /api/workshops/:id/organizer-link                 facilitator: an export-only token
//   POST /api/workshops/:id/groups/:groupId/import[?mode=append|replace][&repair=off]
//        facilitator; a text/markdown body or a Word document (.docx), written to the live board
//   POST /api/workshops/import                            anyone (like creating one): a JSON archive
// Registered before the app's JSON body parser: these routes read raw bodies of their own size.
import express, { type Express, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { HistoryService } from '../history/history-service.js';
import { readMeta, setMeta, writeSections } from '../../shared/board.js';
import { SYNTHESIS_MODES, type AgendaItem } from '../../shared/consolidated.js';
import { boardDocName } from '../../shared/doc-name.js';
import { DOCX_LIMITS, DOCX_MEDIA_TYPE } from '../../shared/docx-import.js';
import { LIMITS } from '../../shared/model.js';
import type { TokenSigner } from '../auth/tokens.js';
import type { BoardWriter } from '../docsync/board-writer.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { SessionService } from '../facilitation/session-service.js';
import { loadExportSource, type CardVotes } from '../export/consolidate.js';
import type { ExportPool } from '../export/export-pool.js';
import { EXPORT_FORMATS, contentDisposition, isExportFormat } from '../export/formats.js';
import { importArchive } from '../import/archive-import.js';
import type { ImportPool } from '../import/import-pool.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../lib/logger.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { HttpError, badRequest, forbidden, notFound } from './http-error.js';
import { principalOfWorkshop, route, type PrincipalOf } from './route-kit.js';

export const IMPORT_LIMITS = { markdownBytes: LIMITS.markdownImportBytes, docxBytes: DOCX_LIMITS.bodyBytes, archiveBytes: LIMITS.archiveImportBytes } as const;
const MARKDOWN_TYPES = ['text/markdown', 'text/x-markdown', 'text/plain'];

export interface ExportRouteDeps {
  principalOf: PrincipalOf;
  store: Store;
  registry: BoardRegistry;
  /** Every write into a board goes through it (the write guard). */
  writer: BoardWriter;
  workshops: WorkshopService;
  signer: TokenSigner;
  sessions: SessionService;
  history: HistoryService;
  /** Limits the open route (archive import) per address. */
  creationLimit: RequestHandler;
  /** Parses imports in worker threads, under a time budget: never on the event loop. */
  imports: ImportPool;
  /** Renders documents in worker threads: never on the event loop. */
  exports: ExportPool;
  log: Logger;
}

/** The session's agenda, and the vote counts of its last closed round (open rounds stay secret). */
async function facilitation(sessions: SessionService, workshopId: string): Promise<{ agenda: AgendaItem[]; votes: CardVotes[] }> {
  const { state } = await sessions.open(workshopId);
  return {
    agenda: state.agenda.map(({ name, kind, durationSec }) => ({ name, kind, durationSec })),
    votes: state.round?.status === 'closed' ? (state.round.ranking ?? []) : [],
  };
}

/** Which parts the document holds: the plenary synthesis with the groups' chapters (the default), alone, or none. */
const synthesisParam = z.enum(SYNTHESIS_MODES).default('with');

const unsupported = (message: string) => new HttpError(415, 'unsupported_media_type', message);

/** The request body's bytes, which must be UTF-8 (read as text in an import worker: import/body-text.ts). */
function bodyBytes(req: Request): Uint8Array {
  const charset = /charset=([^;]+)/i.exec(req.get('content-type') ?? '')?.[1]?.trim().replace(/"/g, '').toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw unsupported(`The body must be UTF-8, not ${charset}`);
  const bytes: unknown = req.body;
  return Buffer.isBuffer(bytes) ? bytes : new Uint8Array(0);
}

/** A raw body of `type` (any, by default) up to `limit`; a later parser skips a body an earlier one read. */
const rawBytes = (req: Request): Uint8Array => (Buffer.isBuffer(req.body) ? req.body : new Uint8Array(0));

const rawBody = (limit: number, type: string | (() => boolean) = () => true) => express.raw({ type, limit });

export function registerExportRoutes(app: Express, deps: ExportRouteDeps): void {
  const { principalOf, store, registry } = deps;

  app.get('/api/workshops/:id/export', route(async (req, res) => {
    const principal = await principalOfWorkshop(principalOf, req);
    if (principal.role !== 'facilitator' && principal.role !== 'organizer') throw forbidden('Only the facilitator or an organizer may export');
    const format = req.query.format ?? 'md';
    if (!isExportFormat(format)) throw badRequest(`format: one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
    const groups = await store.listGroups(principal.workshopId);
    let groupIds: string[] | undefined;
    if (typeof req.query.groups === 'string' && req.query.groups.trim() !== '') {
      groupIds = req.query.groups.split(',').map((g) => g.trim()).filter(Boolean);
      const unknown = groupIds.filter((id) => !groups.some((g) => g.id === id));
      if (unknown.length > 0) throw badRequest(`groups: no such group in this workshop: ${unknown.join(', ')}`);
    } else if (req.query.groups !== undefined && typeof req.query.groups !== 'string') {
      throw badRequest('groups: a comma-separated list of group ids');
    }
    const annex = req.query.annex === '1' || req.query.annex === 'true';
    const mode = synthesisParam.safeParse(req.query.synthesis);
    if (!mode.success) throw badRequest(`synthesis: one of ${SYNTHESIS_MODES.join(', ')}`);
    const { agenda, votes } = await facilitation(deps.sessions, principal.workshopId);
    // The archive keeps the groups whole (a re-import rebuilds them): the synthesis is a document's.
    const synthesis = format === 'json' ? 'none' : mode.data;
    const source = await loadExportSource({ store, registry }, principal.workshopId, groups, { groupIds, annex, votes, agenda, synthesis });
    if (!source) throw notFound('No such workshop');
    // Made into the model and rendered in an export worker, never on the event loop.
    const rendered = await deps.exports.render(format, source);
    // Documents never draw a private-use character as a box: they go, and the log says how many.
    if (rendered.dropped > 0) deps.log.info('export: private-use characters dropped', { workshopId: principal.workshopId, format, dropped: rendered.dropped });
    const { body: file } = rendered;
    const body = typeof file === 'string' ? Buffer.from(file, 'utf8') : Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    res.set({
      'Content-Type': EXPORT_FORMATS[format].mediaType,
      'Content-Length': String(body.byteLength),
      'Content-Disposition': contentDisposition(rendered.fileName),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    // Not res.send: it would hash the whole document (megabytes) for an ETag that no-store makes useless.
    res.end(body);
  }));

  app.post('/api/workshops/:id/organizer-link', route(async (req, res) => {
    const principal = await principalOfWorkshop(principalOf, req);
    if (principal.role !== 'facilitator') throw forbidden('Only the facilitator may share an organizer link');
    res.status(201).json({ role: 'organizer', token: await deps.signer.sign({ workshopId: principal.workshopId, role: 'organizer' }) });
  }));

  // A .docx may be larger than a Markdown text (its pictures are in it): it has a parser, and a limit, of its own.
  app.post('/api/workshops/:id/groups/:groupId/import', rawBody(IMPORT_LIMITS.docxBytes, DOCX_MEDIA_TYPE), rawBody(IMPORT_LIMITS.markdownBytes), route(async (req, res) => {
    const principal = await principalOfWorkshop(principalOf, req);
    if (principal.role !== 'facilitator') throw forbidden('Only the facilitator may import into a board');
    const groupId = String(req.params.groupId);
    const group = (await store.listGroups(principal.workshopId)).find((g) => g.id === groupId);
    if (!group) throw notFound('No such group');
    const mode = req.query.mode ?? 'append';
    if (mode !== 'append' && mode !== 'replace') throw badRequest('mode: append or replace');
    const repair = req.query.repair ?? 'on';
    if (repair !== 'on' && repair !== 'off') throw badRequest('repair: on or off');
    const docx = req.is(DOCX_MEDIA_TYPE) === DOCX_MEDIA_TYPE;
    if (!docx && !req.is(MARKDOWN_TYPES)) throw unsupported(`Send the document as text/markdown or as a Word document (${DOCX_MEDIA_TYPE})`);
    // A .docx is unzipped and read in an import worker only, never here.
    const source = docx ? rawBytes(req) : bodyBytes(req);
    const address = { workshopId: principal.workshopId, groupId };
    // A locked board takes no import: refused (423) before any work.
    await deps.writer.assertMayWrite(principal, address);
    const docName = boardDocName(address);
    const board = await registry.open(docName);
    const context = { names: [group.name, (await board.read(readMeta)).title] };
    const imported = docx ? await deps.imports.docx(source, context) : await deps.imports.markdown(source, { ...context, repair: repair === 'on' });
    if (imported.sections.length === 0 && imported.title === null) throw badRequest('The document has no content to import');
    // What the board held before, so an import (a replace especially) can be undone.
    await deps.history.take(docName, 'before-import', mode === 'replace' ? 'replace' : 'append', principal.name || principal.role);
    await deps.writer.change(principal, address, (doc) => {
      const current = readMeta(doc);
      setMeta(doc, {
        ...(imported.title !== null && imported.title !== current.title ? { title: imported.title } : {}),
        ...(imported.question !== null && imported.question !== current.question ? { question: imported.question } : {}),
        // A replace takes the new document's front matter, or none; an append keeps the old unless it brings one.
        ...(imported.frontMatter !== null || mode === 'replace' ? { frontMatter: imported.frontMatter ?? '' } : {}),
      });
      writeSections(doc, imported.sections, mode);
    });
    res.json({
      groupId, mode, title: imported.title, sections: imported.sections.map((s) => s.heading),
      repaired: imported.repaired,
      ...('drawings' in imported ? { drawings: imported.drawings } : {}),
    });
  }));

  app.post('/api/workshops/import', deps.creationLimit, rawBody(IMPORT_LIMITS.archiveBytes), route(async (req, res) => {
    if (!req.is(['application/json', 'application/*+json'])) throw unsupported('Send the archive as application/json');
    const archive = await deps.imports.archive(bodyBytes(req));
    res.status(201).json(await importArchive(deps, archive));
  }));
}
