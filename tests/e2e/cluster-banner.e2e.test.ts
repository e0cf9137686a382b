// A node that loses Redis tells its people, in the page: the board shows that what they
// write is kept but people on other servers will see it later, and the notice goes once
// Redis answers again. Real PostgreSQL and Redis (through a proxy the test cuts), a real
// cluster node serving the built client, Chromium.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupWorkshop } from '../helpers/api.js';
import { startCluster } from '../helpers/cluster.js';
import { redisProxy } from '../helpers/tcp-proxy.js';
import { postgresUrl, redisUrl } from '../support/requires.js';
import { browserAvailability, CLIENT_DIR, joinThroughUi, launchChromium, newPerson } from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);
const pg = await postgresUrl();
const redis = await redisUrl();
const SHOTS = 'test-results/screens';

describe.skipIf(availability.skip || pg === null || redis === null)('a cluster node cut from Redis', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows its people a notice while it cannot reach the other nodes, and takes it away when it can', async () => {
    const proxy = await redisProxy(redis!);
    const cluster = await startCluster(pg!, redis!, 0);
    const node = await cluster.addNode({ redisUrl: proxy.url, clientDir: CLIENT_DIR });
    const w = await setupWorkshop(node.url);
    for (const [locale, width, height] of [['es-CO', 1280, 800], ['en-US', 390, 844]] as const) {
      const person = await newPerson(browser, { locale, width, height });
      await joinThroughUi(person.page, node.url, w.workshop.joinCode, 'Grupo A', locale === 'es-CO' ? 'Ana' : 'Ann');
      const banner = person.page.locator('[data-testid=peers-cut-banner]');

      proxy.cut();
      await banner.waitFor({ timeout: 15_000 });
      await person.page.screenshot({ path: `${SHOTS}/cluster-cut-${locale}.png` });
      proxy.restore();
      await banner.waitFor({ state: 'detached', timeout: 15_000 });
      await person.context.close();
    }
  });
});
