// `format=pptx` on the export route: the facilitator gets the deck with the presentation
// media type and a .pptx name; a participant does not.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { createWorkshop, joinWorkshop } from '../helpers/api.js';
import { startServer } from '../helpers/server.js';

describe('GET /export?format=pptx', () => {
  it('sends a slide deck named after the workshop, to the facilitator only', async () => {
    const srv = await startServer();
    const w = await createWorkshop(srv.url, { title: 'Taller de diapositivas', groups: [{ name: 'Grupo A', question: '¿Qué proponemos?' }] });
    const res = await fetch(`${srv.url}/api/workshops/${w.id}/export?format=pptx`, { headers: { authorization: `Bearer ${w.facilitatorToken}` }, signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(res.headers.get('content-disposition')).toMatch(/filename="Taller de diapositivas \d{4}-\d{2}-\d{2}\.pptx"/);
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const slides = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    expect(slides).toHaveLength(2); // the title and the one group (no synthesis yet)
    expect(await zip.file('ppt/slides/slide1.xml')?.async('string')).toContain('Taller de diapositivas');
    expect(await zip.file('ppt/slides/slide2.xml')?.async('string')).toContain('Grupo A');

    const eva = await joinWorkshop(srv.url, w, w.groups[0]!.id, 'Eva');
    const refused = await fetch(`${srv.url}/api/workshops/${w.id}/export?format=pptx`, { headers: { authorization: `Bearer ${eva.token}` } });
    expect(refused.status).toBe(403);
  });
});
