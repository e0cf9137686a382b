import { readFileSync } from 'node:fs';
import { repairMojibake } from './server/import/mojibake.js';
for (const f of ['estrategia-analytics.mac-roman.md', 'grupo-b-cambio-sistemico.windows-1252.md']) {
  const r = repairMojibake(readFileSync('tests/fixtures/' + f, 'utf8'));
  console.log(f, r.repaired, r.codePage);
}
