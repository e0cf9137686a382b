// Board versions over HTTP: list, name, view, compare, restore. Reading needs read
// access to the board; naming and restoring need write access (so not while locked).
import type { Express, Request } from 'express';
import { z } from 'zod';
import { boardDocName, type BoardAddress } from '../../shared/doc-name.js';
import type { BoardAccess, Principal } from '../auth/principal.js';
import type { BoardWriter } from '../docsync/board-writer.js';
import type { SessionService } from '../facilitation/session-service.js';
import type { HistoryService } from '../history/history-service.js';
import { forbidden, notFound } from './http-error.js';
import { parse, principalOfWorkshop, route, type PrincipalOf } from './route-kit.js';

const namedVersionBody = z.object({ label: z.string().trim().min(1).max(120) });
const BASE = '/api/workshops/:id/groups/:groupId/versions';

export function registerHistoryRoutes(app: Express, deps: { principalOf: PrincipalOf; sessions: SessionService; history: HistoryService; writer: BoardWriter }): void {
  const { sessions, history, writer } = deps;

  async function boardFor(req: Request, need: Exclude<BoardAccess, 'none'>): Promise<{ docName: string; board: BoardAddress; principal: Principal }> {
    const principal = await principalOfWorkshop(deps.principalOf, req);
    const session = await sessions.open(principal.workshopId);
    const groupId = String(req.params.groupId);
    if (!session.groupIds.includes(groupId)) throw notFound('No such group');
    const board = { workshopId: principal.workshopId, groupId };
    if (sessions.boardAccess(principal, principal.workshopId, groupId) === 'none') throw forbidden('You may not read this board');
    // The write guard's own answer: 423 while locked, 403 for another group's board.
    if (need === 'write') await writer.assertMayWrite(principal, board);
    return { docName: boardDocName(board), board, principal };
  }
  const who = (p: Principal) => p.name || p.role;

  app.get(BASE, route(async (req, res) => {
    const { docName } = await boardFor(req, 'read');
    res.json(await history.list(docName));
  }));

  app.post(BASE, route(async (req, res) => {
    const { docName, principal } = await boardFor(req, 'write');
    const { label } = parse(namedVersionBody, req.body);
    res.status(201).json(await history.take(docName, 'named', label, who(principal)));
  }));

  app.get(`${BASE}/:versionId`, route(async (req, res) => {
    const { docName } = await boardFor(req, 'read');
    const version = await history.view(docName, String(req.params.versionId));
    if (!version) throw notFound('No such version');
    res.json(version);
  }));

  app.get(`${BASE}/:versionId/diff`, route(async (req, res) => {
    const { docName } = await boardFor(req, 'read');
    const diff = await history.diff(docName, String(req.params.versionId));
    if (!diff) throw notFound('No such version');
    res.json(diff);
  }));

  app.post(`${BASE}/:versionId/restore`, route(async (req, res) => {
    const { board, principal } = await boardFor(req, 'write');
    const backup = await history.restore(principal, board, String(req.params.versionId));
    if (!backup) throw notFound('No such version');
    res.json({ restored: req.params.versionId, backup });
  }));
}
