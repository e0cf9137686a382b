// The document side of the HTTP API: exports, organizer links, Markdown, Word and archive
// imports, board versions and templates. Failures are ApiErrors, as in `api.ts`.
import type { BoardContent } from '../../../shared/board.js';
import { DOCX_MEDIA_TYPE } from '../../../shared/docx-import.js';
import type { VersionDiff, VersionInfo } from '../../../shared/history.js';
import type { CreateWorkshopResponse } from '../../../shared/model.js';
import type { Template } from '../../../shared/templates.js';
import { ApiError, isErrorBody } from '../api.js';
import { fileNameOf } from './content-disposition.js';
import { exportSearch, type ExportFormat, type ExportQuery } from './export-query.js';

interface SendOptions {
  token?: string;
  body?: BodyInit;
  contentType?: string;
  accept?: string;
}

async function send(method: 'GET' | 'POST', path: string, opts: SendOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  if (opts.contentType) headers['content-type'] = opts.contentType;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: opts.body, cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    if (isErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message);
    throw new ApiError(response.status, response.status === 413 ? 'too_large' : 'generic', `HTTP ${response.status}`);
  }
  return response;
}

async function json<T>(method: 'GET' | 'POST', path: string, opts: SendOptions & { json?: unknown } = {}): Promise<T> {
  const { json: value, ...rest } = opts;
  const response = await send(method, path, value === undefined ? rest : { ...rest, body: JSON.stringify(value), contentType: 'application/json' });
  return (await response.json()) as T;
}

const w = (workshopId: string) => `/api/workshops/${encodeURIComponent(workshopId)}`;
const versions = (workshopId: string, groupId: string) => `${w(workshopId)}/groups/${encodeURIComponent(groupId)}/versions`;

export interface ExportedFile {
  blob: Blob;
  /** The server's file name (Content-Disposition), accents kept. */
  fileName: string;
}

export type ImportMode = 'append' | 'replace';

export interface MarkdownImportResult {
  groupId: string;
  mode: ImportMode;
  title: string | null;
  sections: string[];
  /** Characters of mis-decoded text the server repaired (0 when none, when asked not to, and for Word documents). */
  repaired: number;
  /** A Word document's pictures and drawings left out. */
  drawings?: number;
}

/** What `GET /api/workshops/:id` says about locks (the rest is `WorkshopView`). */
export interface WorkshopLocks {
  groups: Array<{ id: string; locked?: boolean }>;
}

export const documentsApi = {
  async exportFile(workshopId: string, token: string, format: ExportFormat, query: ExportQuery): Promise<ExportedFile> {
    const response = await send('GET', `${w(workshopId)}/export?${exportSearch(format, query)}`, { token, accept: '*/*' });
    return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition')) ?? `relatoria.${format}` };
  },
  async exportHtml(workshopId: string, token: string, query: ExportQuery): Promise<string> {
    const response = await send('GET', `${w(workshopId)}/export?${exportSearch('html', query)}`, { token, accept: 'text/html' });
    return response.text();
  },
  organizerLink: (workshopId: string, token: string) =>
    json<{ role: 'organizer'; token: string }>('POST', `${w(workshopId)}/organizer-link`, { token }),
  importMarkdown: (workshopId: string, groupId: string, token: string, markdown: string, mode: ImportMode, repair = true) =>
    json<MarkdownImportResult>('POST', `${w(workshopId)}/groups/${encodeURIComponent(groupId)}/import?mode=${mode}${repair ? '' : '&repair=off'}`, {
      token,
      body: markdown,
      contentType: 'text/markdown; charset=utf-8',
    }),
  importDocx: (workshopId: string, groupId: string, token: string, docx: Blob, mode: ImportMode) =>
    json<MarkdownImportResult>('POST', `${w(workshopId)}/groups/${encodeURIComponent(groupId)}/import?mode=${mode}`, {
      token,
      body: docx,
      contentType: DOCX_MEDIA_TYPE,
    }),
  importArchive: (archive: Blob) =>
    json<CreateWorkshopResponse>('POST', '/api/workshops/import', { body: archive, contentType: 'application/json' }),
  locks: (workshopId: string, token: string) => json<WorkshopLocks>('GET', w(workshopId), { token }),

  versions: (workshopId: string, groupId: string, token: string) => json<VersionInfo[]>('GET', versions(workshopId, groupId), { token }),
  saveVersion: (workshopId: string, groupId: string, token: string, label: string) =>
    json<VersionInfo>('POST', versions(workshopId, groupId), { token, json: { label } }),
  version: (workshopId: string, groupId: string, token: string, versionId: string) =>
    json<{ info: VersionInfo; content: BoardContent }>('GET', `${versions(workshopId, groupId)}/${encodeURIComponent(versionId)}`, { token }),
  diff: (workshopId: string, groupId: string, token: string, versionId: string) =>
    json<VersionDiff>('GET', `${versions(workshopId, groupId)}/${encodeURIComponent(versionId)}/diff`, { token }),
  restore: (workshopId: string, groupId: string, token: string, versionId: string) =>
    json<{ restored: string; backup: VersionInfo }>('POST', `${versions(workshopId, groupId)}/${encodeURIComponent(versionId)}/restore`, { token }),

  /** The built-in templates and the saved ones whose ids this browser kept. */
  templates: (savedIds: readonly string[]) =>
    json<Template[]>('GET', savedIds.length > 0 ? `/api/templates?saved=${savedIds.map(encodeURIComponent).join(',')}` : '/api/templates'),
  saveTemplate: (workshopId: string, token: string, name: string) =>
    json<Template>('POST', `${w(workshopId)}/template`, { token, json: { name } }),
};

export type DocumentsApi = typeof documentsApi;
