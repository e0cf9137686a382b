// Creating workshops from templates: built-in ones and workshops saved as templates.
import { describe, expect, it } from 'vitest';
import { addCard, addSection, listCards, listSections, readMeta } from '../../shared/board.js';
import type { Template } from '../../shared/templates.js';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import { api, joinWorkshop } from '../helpers/api.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';

describe('templates', () => {
  it('lists the built-in templates, and creates the fixtures-shaped workshop from one', async () => {
    const srv = await startServer();
    const list = await api<Template[]>(srv.url, 'GET', '/api/templates');
    expect(list.status).toBe(200);
    expect(list.body.map((t) => t.id)).toEqual(expect.arrayContaining(['red-de-proyectos', 'en-blanco', 'blank', 'em-branco']));

    const created = await api<CreateWorkshopResponse>(srv.url, 'POST', '/api/workshops', { json: { template: 'red-de-proyectos' } });
    expect(created.status).toBe(201);
    expect(created.body.groups.map((g) => g.name)).toEqual([
      'Grupo A: Sostenibilidad', 'Grupo B: Cambio Sistémico', 'Grupo C: Articulación de Actores', 'Grupo D: Escalamiento',
    ]);
    const state = await api(srv.url, 'GET', `/api/workshops/${created.body.id}`, { token: created.body.facilitatorToken });
    expect(state.body.title).toBe('Taller de intercambio de la red de proyectos');
    expect(state.body.groups[3].question).toBe('¿Qué se requiere para lograr escalamiento y sostenibilidad?');
    expect(state.body.session.agenda.map((p: { name: string }) => p.name)).toEqual(['Bienvenida', 'Lluvia de ideas', 'Trabajo en grupos', 'Votación', 'Plenaria', 'Cierre']);

    const board = await syncedClient(srv.wsUrl, { workshopId: created.body.id, groupId: created.body.groups[1]!.id }, created.body.facilitatorToken);
    expect(readMeta(board.doc).title).toBe('Grupo B: Cambio Sistémico');
    expect(listSections(board.doc).map((s) => s.heading)).toEqual(['Conclusiones y Recomendaciones']);
  });

  it('an explicit title and groups override the template’s', async () => {
    const srv = await startServer();
    const created = await api<CreateWorkshopResponse>(srv.url, 'POST', '/api/workshops', {
      json: { template: 'red-de-proyectos', title: 'Taller San José', groups: [{ name: 'Único' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body.groups.map((g) => g.name)).toEqual(['Único']);
  });

  it('saves a workshop as a template — shape, not content — and creates a new workshop from it', async () => {
    const srv = await startServer();
    const original = await api<CreateWorkshopResponse>(srv.url, 'POST', '/api/workshops', {
      json: { title: 'Taller Cartagena', language: 'es', groups: [{ name: 'Grupo D: Escalamiento', question: '¿Cómo escalar?' }] },
    });
    const w = original.body;
    const ref = { workshopId: w.id, groupId: w.groups[0]!.id };
    const board = await syncedClient(srv.wsUrl, ref, w.facilitatorToken);
    addSection(board.doc, 'Anexo: tipologías de escalamiento');
    addCard(board.doc, { text: 'Contenido que no va en la plantilla', author: 'Ana' });
    await waitFor(async () => (await srv.server.registry.open(`${w.id}/${ref.groupId}`).then((b) => b.read((d) => listSections(d).length))) === 2, 5_000, 'the section to reach the server');
    const agenda = [{ name: 'Apertura', durationSec: 300, kind: 'welcome' }, { name: 'Escritura', durationSec: 1800, kind: 'groupwork' }];
    const reply = await srv.server.sessions.execute({ role: 'facilitator', workshopId: w.id, groupId: null, participantId: null, name: '' }, { type: 'agenda:set', agenda });
    expect(reply.ok).toBe(true);

    const participant = await joinWorkshop(srv.url, w, ref.groupId, 'Ana');
    expect((await api(srv.url, 'POST', `/api/workshops/${w.id}/template`, { token: participant.token, json: { name: 'x' } })).status).toBe(403);
    expect((await api(srv.url, 'POST', `/api/workshops/${w.id}/template`, { token: w.facilitatorToken, json: {} })).status).toBe(400);
    const saved = await api<Template>(srv.url, 'POST', `/api/workshops/${w.id}/template`, { token: w.facilitatorToken, json: { name: 'Mi taller de escalamiento' } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({
      name: 'Mi taller de escalamiento', language: 'es', title: 'Taller Cartagena', builtIn: false,
      groups: [{ name: 'Grupo D: Escalamiento', question: '¿Cómo escalar?', sections: ['Conclusiones y Recomendaciones', 'Anexo: tipologías de escalamiento'] }],
      agenda,
    });
    // Listed only to who names its id (the browser that saved it keeps it): never to everyone.
    expect((await api<Template[]>(srv.url, 'GET', '/api/templates')).body.map((t) => t.id)).not.toContain(saved.body.id);
    expect((await api<Template[]>(srv.url, 'GET', `/api/templates?saved=${saved.body.id},nope`)).body.map((t) => t.id)).toEqual(['red-de-proyectos', 'en-blanco', 'blank', 'em-branco', saved.body.id]);
    expect(saved.body.id.length).toBeGreaterThanOrEqual(20);

    const copy = await api<CreateWorkshopResponse>(srv.url, 'POST', '/api/workshops', { json: { template: saved.body.id } });
    expect(copy.status).toBe(201);
    const copyBoard = await syncedClient(srv.wsUrl, { workshopId: copy.body.id, groupId: copy.body.groups[0]!.id }, copy.body.facilitatorToken);
    expect(listSections(copyBoard.doc).map((s) => s.heading)).toEqual(['Conclusiones y Recomendaciones', 'Anexo: tipologías de escalamiento']);
    expect(listCards(copyBoard.doc)).toEqual([]);
    const state = await api(srv.url, 'GET', `/api/workshops/${copy.body.id}`, { token: copy.body.facilitatorToken });
    expect(state.body.session.agenda.map((p: { name: string; durationSec: number }) => [p.name, p.durationSec])).toEqual([['Apertura', 300], ['Escritura', 1800]]);
  });

  it('a saved template is always usable: sections clipped to what creating a workshop accepts', async () => {
    const srv = await startServer();
    const w = (await api<CreateWorkshopResponse>(srv.url, 'POST', '/api/workshops', { json: { title: 'Muchas secciones', groups: [{ name: 'G' }] } })).body;
    const ref = { workshopId: w.id, groupId: w.groups[0]!.id };
    const board = await syncedClient(srv.wsUrl, ref, w.facilitatorToken);
    for (let i = 0; i < 25; i++) addSection(board.doc, `Sección ${i} ${'ñ'.repeat(i === 3 ? 280 : 0)}`);
    await waitFor(async () => (await srv.server.registry.open(`${w.id}/${ref.groupId}`).then((b) => b.read((d) => listSections(d).length))) === 26, 5_000, 'the sections to reach the server');
    const saved = await api<Template>(srv.url, 'POST', `/api/workshops/${w.id}/template`, { token: w.facilitatorToken, json: { name: 'Larga' } });
    expect(saved.body.groups[0]!.sections).toHaveLength(20);
    const copy = await api(srv.url, 'POST', '/api/workshops', { json: { template: saved.body.id } });
    expect(copy.status).toBe(201);
  });

  it('refuses an unknown template, and a blank one without a title, storing nothing', async () => {
    const srv = await startServer();
    const unknown = await api(srv.url, 'POST', '/api/workshops', { json: { template: 'no-existe' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const blank = await api(srv.url, 'POST', '/api/workshops', { json: { template: 'en-blanco' } });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toMatch(/title/);
    const count = srv.store.db.prepare('SELECT COUNT(*) AS n FROM workshops').get() as { n: number };
    expect(count.n).toBe(0);
  });
});
