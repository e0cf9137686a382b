// 6. Client: the participant page (the board route /w/:id/g/:groupId) as Chromium
// loads it from the real server: the JavaScript it fetches (gzip), and the time from
// navigation until a board of 200 cards is interactive — every card shown and the
// board connected — in a fresh browser profile each time.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import { addCard, listCards } from '../../shared/board.js';
import { check, type Scenario, type ScenarioReport } from '../lib/scenario.js';
import { REPO_ROOT, spawnRelatoria } from '../lib/server-process.js';
import { kb, ms, summarize, table } from '../lib/stats.js';
import { createThroughApi } from '../lib/workshop-setup.js';

const CHROMIUM = '/usr/bin/chromium';
const CARDS = 200;
/** What the page shows once it is usable: the card list and the connection state (client/components). */
const CARD_ITEMS = '[data-testid=cards] > li';
const CONNECTED = '[data-testid=connection-status][data-state=connected]';

export const clientPage: Scenario = {
  name: 'client-page',
  title: `6. Client: the participant page's JavaScript, and a ${CARDS}-card board interactive in Chromium`,
  async run({ quick, log }) {
    if (!existsSync(CHROMIUM)) {
      return { figures: `${CHROMIUM} is missing: not measured (apt-get install chromium).`, checks: [check('client page interactive ≤ 1.5 s', 'no chromium', null)], failures: [] };
    }
    const { chromium } = await import('playwright-core');
    const buildDir = await mkdtemp(join(tmpdir(), 'relatoria-bench-client-'));
    try {
      // Built into a directory of our own: others' `npm test` rebuilds dist/client meanwhile.
      const clientDir = join(buildDir, 'client');
      const began = performance.now();
      await promisify(execFile)(join(REPO_ROOT, 'node_modules/.bin/vite'), ['build', '--outDir', clientDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: REPO_ROOT });
      log(`  client built in ${((performance.now() - began) / 1000).toFixed(0)} s`);
      const server = await spawnRelatoria({ clientDir });
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      try {
        const workshop = await createThroughApi(server.url, { groups: 1, perGroup: 2 });
        const group = workshop.groups[0]!;
        await fillBoard(server.wsUrl, `${workshop.id}/${group.id}`, group.participants[1]!.token);
        const me = group.participants[0]!;
        const identity = { token: me.token, participantId: me.participantId, name: me.name, groupId: group.id };
        const pageUrl = `${server.url}/w/${workshop.id}/g/${group.id}`;

        const scripts = new Map<string, number>();
        const times: number[] = [];
        const errors: string[] = [];
        for (let i = 0; i < (quick ? 2 : 5); i++) {
          const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 860 } });
          await context.addInitScript(
            ([key, value]) => window.localStorage.setItem(key!, value!),
            [`relatoria:participant:${workshop.id}`, JSON.stringify(identity)],
          );
          const page = await context.newPage();
          page.on('pageerror', (err) => errors.push(err.message));
          page.on('response', (res) => {
            if (res.request().resourceType() === 'script') scripts.set(new URL(res.url()).pathname, 0);
          });
          await page.goto(pageUrl);
          const handle = await page.waitForFunction(
            ([items, connected, count]) =>
              document.querySelectorAll(items as string).length >= (count as number) && document.querySelector(connected as string) !== null ? performance.now() : false,
            [CARD_ITEMS, CONNECTED, CARDS] as const,
            { timeout: 30_000, polling: 'raf' },
          );
          times.push((await handle.jsonValue()) as number);
          await context.close();
        }

        let raw = 0;
        let gzip = 0;
        for (const path of scripts.keys()) {
          const bytes = await readFile(join(clientDir, path));
          raw += bytes.length;
          gzip += gzipSync(bytes).length;
        }
        const t = summarize(times);
        return report(raw, gzip, scripts.size, t, errors);
      } finally {
        await browser.close();
        await server.stop();
      }
    } finally {
      await rm(buildDir, { recursive: true, force: true });
    }
  },
};

function report(raw: number, gzip: number, files: number, t: ReturnType<typeof summarize>, errors: string[]): ScenarioReport {
  return {
    figures: [
      table([
        ['participant page', ''],
        ['JavaScript loaded (raw)', `${kb(raw)} in ${files} file(s)`],
        ['JavaScript loaded (gzip, level 6)', kb(gzip)],
        [`${CARDS}-card board interactive: median / max`, `${ms(t.p50, 0)} / ${ms(t.max, 0)} (${t.count} fresh profiles)`],
        ['page errors', errors.length === 0 ? 'none' : errors.slice(0, 3).join(' | ')],
      ]),
      `"Interactive": ${CARDS} items in ${CARD_ITEMS} and ${CONNECTED}, read from performance.now() in the page (from navigation start).`,
    ].join('\n'),
    checks: [
      check('participant page JavaScript ≤ 300 KB gzip', kb(gzip), gzip <= 300 * 1024),
      check(`${CARDS}-card board interactive ≤ 1.5 s (median)`, ms(t.p50, 0), t.p50 <= 1_500),
    ],
    failures: [],
  };
}

/** Adds the cards through a stock client, as people would, and waits until another client sees them all. */
async function fillBoard(wsUrl: string, docName: string, token: string): Promise<void> {
  const open = () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${wsUrl}/yjs`, docName, doc, { params: { token }, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
    return { doc, provider };
  };
  const synced = (p: WebsocketProvider) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())));
  const writer = open();
  await synced(writer.provider);
  for (let i = 0; i < CARDS; i++) addCard(writer.doc, { text: `Idea ${i + 1}: fortalecer la articulación territorial con liderazgo local`, author: `Persona ${1 + (i % 20)}` });
  const reader = open();
  await synced(reader.provider);
  const deadline = Date.now() + 30_000;
  while (listCards(reader.doc).length < CARDS) {
    if (Date.now() > deadline) throw new Error('the cards did not reach a second client');
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const c of [writer, reader]) {
    c.provider.destroy();
    c.doc.destroy();
  }
}
