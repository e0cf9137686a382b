// What the browser tests share: a real server in-process on port 0 serving the
// built client, Debian's Chromium driven by playwright-core, and the steps a
// person takes in the UI (joining through the join page).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import { silentLogger } from '../../server/lib/logger.js';
import { createRelatoriaServer, type RelatoriaServer } from '../../server/server.js';
import { SqliteStore } from '../../server/store/sqlite.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CLIENT_DIR = resolve('dist/client');

/** Whether this machine can run the browser tests; under CI a missing browser is a failure, not a skip. */
export function browserAvailability(): { skip: boolean; reason: string } {
  if (existsSync(CHROMIUM_PATH)) return { skip: false, reason: '' };
  const reason = `browser tests: ${CHROMIUM_PATH} is missing (apt-get install chromium)`;
  return { skip: process.env.CI !== 'true', reason };
}

export interface E2eServer {
  url: string;
  /** The server's store, for tests that make it fail. */
  store: SqliteStore;
  close(): Promise<void>;
}

export interface E2eServerOptions {
  requireClient?: boolean;
  /** The facilitation protocol the server speaks (default: this code's): a higher one plays a server deployed after the page was loaded. */
  protocol?: { current: number; minimum: number };
  /** Export worker threads and one rendering's time budget. */
  exports?: { workers?: number; timeBudgetMs?: number };
}

export async function startE2eServer({ requireClient = true, protocol, exports }: E2eServerOptions = {}): Promise<E2eServer> {
  if (requireClient && !existsSync(join(CLIENT_DIR, 'index.html'))) {
    throw new Error(`${CLIENT_DIR}/index.html is missing: build the client first (npm test runs "vite build" before vitest)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'relatoria-e2e-'));
  const store = new SqliteStore(join(dir, 'relatoria.db'));
  const server: RelatoriaServer = createRelatoriaServer({ store, log: silentLogger, secret: 'test', clientDir: CLIENT_DIR, limits: { creationsPerMinute: 10_000 }, protocol, exports });
  const port = await server.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    async close() {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The server and browser a suite shares, readable once its beforeAll has run. */
export interface BrowserAndServer {
  readonly server: E2eServer;
  readonly browser: Browser;
}

/**
 * Starts a server and Chromium before the suite's tests and closes both after them;
 * call it first in a describe, so the suite's own beforeAll can already use them.
 */
export function useBrowserAndServer(options: E2eServerOptions = {}): BrowserAndServer {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startE2eServer(options);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the e2e server is not started: read it inside a test or hook');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not launched: read it inside a test or hook');
      return browser;
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: the browser tests need Debian's chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser profile, as a second person on another laptop. */
export async function newPerson(browser: Browser, opts: { locale?: string; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: opts.locale ?? 'es-ES', viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  return { context, page, errors };
}

export interface Workshop extends CreateWorkshopResponse {
  title: string;
}

export async function createWorkshop(baseUrl: string, groups: Array<{ name: string; question: string }>, title = 'Encuentro de Innovación Social'): Promise<Workshop> {
  const res = await fetch(`${baseUrl}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, language: 'es', groups }),
  });
  if (res.status !== 201) throw new Error(`creating a workshop answered ${res.status}: ${await res.text()}`);
  return { ...((await res.json()) as CreateWorkshopResponse), title };
}

/** Joins through the join page, as a person would, and waits for the board to be live. */
export async function joinThroughUi(page: Page, baseUrl: string, joinCode: string, groupName: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/join/${joinCode}`);
  await page.locator('label.group', { hasText: groupName }).click();
  await page.fill('input[name=name]', name);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/w\/[^/]+\/g\/[^/]+$/);
  await waitConnected(page);
}

export async function waitConnected(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('[data-testid=connection-status][data-state=connected]').waitFor({ timeout });
}

/** The first section's editor. */
export const firstEditor = (page: Page) => page.locator('[data-section-id] .tiptap').first();
