// The plenary synthesis in a real browser: a rapporteur opens the page from their link,
// pulls one card from each of two groups from the side panel, merges them into one
// recommendation that names both groups, and sees "changed in the group" once a source
// card is edited; then a participant votes on it from the same page. Screenshots of the
// page, wide and on a phone.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addCard, cardText, setTextByDiff } from '../../shared/board.js';
import { connectSocket, tokenOfLink } from '../helpers/facilitation.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';
import { browserAvailability, createWorkshop, joinThroughUi, newPerson, useBrowserAndServer } from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const SHOTS = 'test-results/screens';
const GROUPS = [
  { name: 'Grupo A: Educación', question: '¿Qué debe cambiar en la escuela rural?' },
  { name: 'Grupo B: Territorio', question: '¿Cómo llegan los servicios al territorio?' },
];

describe.skipIf(availability.skip)('the plenary synthesis', () => {
  const e2e = useBrowserAndServer();

  it('a rapporteur pulls a card from each of two groups and merges them into one recommendation', async () => {
    const w = await createWorkshop(e2e.server.url, GROUPS);
    const wsUrl = e2e.server.url.replace(/^http/, 'ws');
    const boards = w.groups.map((g) => ({ workshopId: w.id, groupId: g.id }));
    const a = await syncedClient(wsUrl, boards[0]!, w.facilitatorToken);
    const b = await syncedClient(wsUrl, boards[1]!, w.facilitatorToken);
    const cardA = addCard(a.doc, { text: 'Transporte escolar gratuito en zonas rurales', author: 'Lucía' });
    addCard(a.doc, { text: 'Docentes con formación en pedagogía rural', author: 'Mateo' });
    const cardB = addCard(b.doc, { text: 'Rutas seguras para llegar a la escuela', author: 'Sofía' });
    await roundTrip(a);
    await roundTrip(b);

    const console = await connectSocket(e2e.server.url, w.facilitatorToken);
    const reply = await console.command({ type: 'link:create', role: 'rapporteur' });
    if (!reply.ok) throw new Error(reply.message);
    expect(reply.link).toMatch(/\/plenary#k=/);
    console.close();

    const rapporteur = await newPerson(e2e.browser, { width: 1440, height: 900 });
    const p = rapporteur.page;
    await p.goto(`${e2e.server.url}/w/${w.id}/plenary#k=${encodeURIComponent(tokenOfLink(reply.link))}`);
    const panel = p.locator('[data-testid=source-panel]');
    await panel.locator(`[data-card-id="${cardA}"] [data-testid=pull-to-plenary]`).click({ timeout: 10_000 });
    await panel.locator(`[data-card-id="${cardB}"] [data-testid=pull-to-plenary]`).click();
    const items = p.locator('[data-testid=plenary-item]');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(2);

    await items.nth(0).locator('[data-testid=plenary-select]').check();
    await items.nth(1).locator('[data-testid=plenary-select]').check();
    await p.locator('[data-testid=plenary-merge]').click();
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(1);
    const sources = await items.first().locator('[data-testid=plenary-sources]').textContent();
    expect(sources).toContain(GROUPS[0]!.name);
    expect(sources).toContain(GROUPS[1]!.name);
    expect(await items.first().locator('[data-testid=plenary-item-text]').inputValue()).toBe(
      'Transporte escolar gratuito en zonas rurales\n\nRutas seguras para llegar a la escuela',
    );

    // A source edited in its group: the item says so, and shows what changed.
    setTextByDiff(cardText(b.doc, cardB)!, 'Rutas seguras e iluminadas para llegar a la escuela');
    await roundTrip(b);
    await items.first().locator('[data-testid=source-changed]').click({ timeout: 15_000 });
    await items.first().locator('[data-testid=source-diff] ins').waitFor();

    mkdirSync(SHOTS, { recursive: true });
    await p.screenshot({ path: `${SHOTS}/plenary-wide.png`, fullPage: true });
    await p.setViewportSize({ width: 390, height: 844 });
    await p.screenshot({ path: `${SHOTS}/plenary-phone.png`, fullPage: true });

    await items.first().locator('[data-testid=take-new-text]').click();
    await items.first().locator('[data-testid=source-changed]').waitFor({ state: 'detached', timeout: 10_000 });

    // On a group's board the rapporteur reads, and has "→ Síntesis" on cards and sections.
    await p.setViewportSize({ width: 1440, height: 900 });
    await p.locator(`[data-group-id="${w.groups[0]!.id}"] a.open`).click();
    await p.locator('.ideas-col [data-testid=pull-to-plenary]').first().waitFor({ timeout: 10_000 });
    expect(await p.locator('.ideas-col textarea.text').first().getAttribute('readonly')).not.toBeNull();
    await p.screenshot({ path: `${SHOTS}/plenary-group-board.png` });
    expect(rapporteur.errors).toEqual([]);
    await rapporteur.context.close();

    // The room votes on the recommendations from the plenary page (read-only for them).
    const facilitator = await connectSocket(e2e.server.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'vote:open', groupIds: ['plenary'], budget: 3, maxPerCard: 2, results: 'live' })).toMatchObject({ ok: true });
    const ana = await newPerson(e2e.browser, { width: 390, height: 844 });
    await joinThroughUi(ana.page, e2e.server.url, w.joinCode, GROUPS[0]!.name, 'Ana');
    await ana.page.goto(`${e2e.server.url}/w/${w.id}/plenary`);
    const item = ana.page.locator('[data-testid=plenary-item]');
    await item.locator('[data-testid=dot-plus]').click({ timeout: 10_000 });
    await item.locator('[data-testid=dot-controls][data-dots="1"]').waitFor({ timeout: 10_000 });
    expect(await item.locator('[data-testid=plenary-select]').count()).toBe(0);
    await ana.page.screenshot({ path: `${SHOTS}/plenary-vote-phone.png`, fullPage: true });
    await ana.context.close();

    // The projector shows the spotlit synthesis, ranked, once the round closes.
    expect(await facilitator.command({ type: 'vote:close' })).toMatchObject({ ok: true });
    expect(await facilitator.command({ type: 'spotlight:set', groupId: 'plenary' })).toMatchObject({ ok: true });
    const projectorLink = await facilitator.command({ type: 'link:create', role: 'projector' });
    if (!projectorLink.ok) throw new Error(projectorLink.message);
    facilitator.close();
    const screen = await newPerson(e2e.browser, { width: 1366, height: 768 });
    await screen.page.goto(`${e2e.server.url}${projectorLink.link}`);
    await screen.page.locator('[data-testid=projector-plenary-dots]').filter({ hasText: '1 punto' }).waitFor({ timeout: 10_000 });
    await screen.page.screenshot({ path: `${SHOTS}/plenary-projector.png` });
    await screen.context.close();
  });
});
