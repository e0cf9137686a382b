// The repository keeps its own test data: documents real workshops produced, in tests/fixtures.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** The text of one document of tests/fixtures. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}
