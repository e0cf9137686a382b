// Tests that need a part we do not start ourselves (PostgreSQL, Redis, Chromium) ask here.
// Outside CI an absent part skips its tests with a visible reason; under CI=true it is a failure.
import { existsSync } from 'node:fs';
import pg from 'pg';

export const CHROMIUM = '/usr/bin/chromium';

function absent(what: string, reason: string): false {
  const message = `${what} unavailable (${reason})`;
  if (process.env.CI === 'true') throw new Error(`${message}: CI must provide it`);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** The PostgreSQL URL to test against, or null (tests skip) when there is none. */
export async function postgresUrl(): Promise<string | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return absent('PostgreSQL', 'DATABASE_URL is not set') || null;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (err) {
    return absent('PostgreSQL', `cannot connect to DATABASE_URL: ${(err as Error).message}`) || null;
  }
}

/** The sqlite3 command-line shell, which the README's backup recipe uses. */
export function sqliteCli(): string | null {
  for (const path of ['/usr/bin/sqlite3', '/usr/local/bin/sqlite3']) if (existsSync(path)) return path;
  return absent('the sqlite3 shell', 'not installed; apt-get install sqlite3') || null;
}

/** LibreOffice's command line, which reads our DOCX exports the way an organizer's office suite would. */
export function libreOffice(): string | null {
  for (const path of ['/usr/bin/soffice', '/usr/local/bin/soffice']) if (existsSync(path)) return path;
  return absent('LibreOffice', 'not installed; apt-get install libreoffice-writer-nogui') || null;
}

/** Poppler's pdftoppm, which draws a PDF's pages as PNG images to look at. */
export function pdftoppm(): string | null {
  for (const path of ['/usr/bin/pdftoppm', '/usr/local/bin/pdftoppm']) if (existsSync(path)) return path;
  return absent('pdftoppm', 'not installed; apt-get install poppler-utils') || null;
}

export function hasChromium(): boolean {
  return existsSync(CHROMIUM) || absent('Chromium', `${CHROMIUM} not found; apt-get install chromium`);
}

/** The Redis URL to test against (cluster mode), or null (tests skip) when there is none. */
export async function redisUrl(): Promise<string | null> {
  const url = process.env.REDIS_URL;
  if (!url) return absent('Redis', 'REDIS_URL is not set') || null;
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch (err) {
    return absent('Redis', `cannot connect to REDIS_URL: ${(err as Error).message}`) || null;
  } finally {
    client.disconnect();
  }
}

/** Debian's nginx, the balancer of the cluster tests. */
export function nginxBinary(): string | null {
  for (const path of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (existsSync(path)) return path;
  return absent('nginx', 'not installed; apt-get install nginx') || null;
}
