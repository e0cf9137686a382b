// The facilitator's control over who can get in: the workshop's links (list, revoke),
// and its join code (rotate, close and reopen joining).
import type { Express, Request } from 'express';
import { z } from 'zod';
import type { LinkService } from '../auth/links.js';
import type { Store } from '../store/store.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { forbidden, notFound } from './http-error.js';
import { parse, principalOfWorkshop, route, type PrincipalOf } from './route-kit.js';

export interface LinkRouteDeps {
  principalOf: PrincipalOf;
  links: LinkService;
  workshops: WorkshopService;
  store: Store;
}

const joiningBody = z.object({ open: z.boolean() });

export function registerLinkRoutes(app: Express, deps: LinkRouteDeps): void {
  const facilitator = async (req: Request, what: string) => {
    const principal = await principalOfWorkshop(deps.principalOf, req);
    if (principal.role !== 'facilitator') throw forbidden(`Only the facilitator may ${what}`);
    return principal;
  };

  /** Links that still work, oldest first; the caller's own is marked `current`. */
  app.get('/api/workshops/:id/links', route(async (req, res) => {
    const principal = await facilitator(req, 'see the links');
    const links = await deps.links.list(principal.workshopId);
    res.set('Cache-Control', 'no-store').json(links.map((l) => (l.id === principal.linkId ? { ...l, current: true } : l)));
  }));

  app.delete('/api/workshops/:id/links/:linkId', route(async (req, res) => {
    const principal = await facilitator(req, 'revoke a link');
    if (!(await deps.links.revoke(principal.workshopId, String(req.params.linkId)))) throw notFound('No such link in this workshop');
    res.status(204).end();
  }));

  /** Whether joining is open, and the code. */
  app.get('/api/workshops/:id/joining', route(async (req, res) => {
    const principal = await facilitator(req, 'see how people join');
    const workshop = await deps.store.getWorkshop(principal.workshopId);
    if (!workshop) throw notFound('No such workshop');
    res.set('Cache-Control', 'no-store').json({ open: !workshop.joinClosed, joinCode: workshop.joinCode });
  }));

  app.put('/api/workshops/:id/joining', route(async (req, res) => {
    const principal = await facilitator(req, 'open or close joining');
    const { open } = parse(joiningBody, req.body);
    await deps.workshops.setJoinClosed(principal.workshopId, !open);
    res.json({ open });
  }));

  /** A new join code; the old one is refused from now on. */
  app.post('/api/workshops/:id/join-code', route(async (req, res) => {
    const principal = await facilitator(req, 'change the join code');
    res.status(201).json({ joinCode: await deps.workshops.rotateJoinCode(principal.workshopId) });
  }));
}
