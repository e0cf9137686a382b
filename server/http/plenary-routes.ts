// The plenary board over HTTP: pull a group's card or section (or a passage of one) into it, list its items
// (with whether their sources changed), take a source's new text, merge items. Writing
// needs the write guard's yes (facilitator or rapporteur, board not locked); reading,
// any role of the workshop.
import type { Express } from 'express';
import type { PlenaryService } from '../plenary/plenary-service.js';
import { mergeBody, pullBody } from './schemas.js';
import { parse, principalOfWorkshop, route, type PrincipalOf } from './route-kit.js';

const BASE = '/api/workshops/:id/plenary/items';

export function registerPlenaryRoutes(app: Express, deps: { principalOf: PrincipalOf; plenary: PlenaryService }): void {
  const { plenary } = deps;

  app.get(BASE, route(async (req, res) => {
    const principal = await principalOfWorkshop(deps.principalOf, req);
    res.set('Cache-Control', 'no-store').json(await plenary.list(principal));
  }));

  /** The groups' cards and sections, to pull from (the plenary page's side panel). */
  app.get('/api/workshops/:id/plenary/sources', route(async (req, res) => {
    const principal = await principalOfWorkshop(deps.principalOf, req);
    res.set('Cache-Control', 'no-store').json(await plenary.sources(principal));
  }));

  app.post(BASE, route(async (req, res) => {
    const principal = await principalOfWorkshop(deps.principalOf, req);
    const { passage, ...ref } = parse(pullBody, req.body);
    res.status(201).json({ itemId: await plenary.pull(principal, ref, passage) });
  }));

  app.post(`${BASE}/merge`, route(async (req, res) => {
    const principal = await principalOfWorkshop(deps.principalOf, req);
    const { itemIds } = parse(mergeBody, req.body);
    res.json({ itemId: await plenary.merge(principal, itemIds) });
  }));

  app.post(`${BASE}/:itemId/refresh`, route(async (req, res) => {
    const principal = await principalOfWorkshop(deps.principalOf, req);
    res.json({ itemId: String(req.params.itemId), refreshed: await plenary.refresh(principal, String(req.params.itemId)) });
  }));
}
