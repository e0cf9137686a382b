// The import dialogs and the export page show why the server refused a document or archive,
// or did not generate one, in Spanish and English, with the limit's own number: the codes
// the server sends (shared/import-limits.ts, shared/export-errors.ts) each have a title and
// an explanation in both catalogues.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/lib/api.js';
import { describeError } from '../../client/lib/errors.js';
import { en } from '../../client/lib/i18n/en.js';
import { es } from '../../client/lib/i18n/es.js';
import { formatMessage } from '../../client/lib/i18n/format.js';
import { EXPORT_BUSY, EXPORT_FAILED, EXPORT_TOO_LONG } from '../../shared/export-errors.js';
import { IMPORT_BUSY, IMPORT_LIMIT_CODES, IMPORT_TOO_COMPLEX, MARKDOWN_STRUCTURE_LIMITS } from '../../shared/import-limits.js';

const shown = (code: string, lang: 'es' | 'en') => {
  const error = describeError(new ApiError(422, code, 'The document is too complex to import'));
  const catalogue = lang === 'es' ? es : en;
  expect(error.explain).toBeDefined();
  return { title: formatMessage(catalogue[error.title], lang), text: formatMessage(catalogue[error.explain!.key], lang, error.explain!.params) };
};

describe('import refusals in the client', () => {
  it.each(Object.entries(IMPORT_LIMIT_CODES))('explains %s with its number, in both languages', (limit, code) => {
    const max = (lang: string) => new Intl.NumberFormat(lang).format(MARKDOWN_STRUCTURE_LIMITS[limit as keyof typeof MARKDOWN_STRUCTURE_LIMITS]);
    expect(shown(code, 'es')).toEqual({ title: 'Documento demasiado complejo', text: expect.stringContaining(max('es')) });
    expect(shown(code, 'en')).toEqual({ title: 'Document too complex', text: expect.stringContaining(max('en')) });
  });

  it('explains a document that took too long, and a busy server', () => {
    expect(shown(IMPORT_TOO_COMPLEX, 'es').text).toMatch(/más tiempo/);
    expect(shown(IMPORT_TOO_COMPLEX, 'en').text).toMatch(/took longer/);
    expect(shown(IMPORT_BUSY, 'es')).toMatchObject({ title: 'Servidor ocupado' });
    expect(shown(IMPORT_BUSY, 'en')).toMatchObject({ title: 'Server busy' });
  });

  it('explains why an export was not generated: busy, too long, too big', () => {
    expect(shown(EXPORT_BUSY, 'es')).toEqual({ title: 'Servidor ocupado', text: expect.stringMatching(/generando otros documentos/) });
    expect(shown(EXPORT_BUSY, 'en')).toEqual({ title: 'Server busy', text: expect.stringMatching(/generating other documents/) });
    expect(shown(EXPORT_TOO_LONG, 'es')).toEqual({ title: 'Documento no generado', text: expect.stringMatching(/más tiempo.*menos grupos/) });
    expect(shown(EXPORT_TOO_LONG, 'en')).toEqual({ title: 'Document not generated', text: expect.stringMatching(/took longer.*fewer groups/) });
    expect(shown(EXPORT_FAILED, 'es').text).toMatch(/más memoria/);
    expect(shown(EXPORT_FAILED, 'en').text).toMatch(/more memory/);
  });

  it('keeps the server’s detail for other errors', () => {
    expect(describeError(new ApiError(400, 'invalid_archive', 'workshop.date is wrong'))).toEqual({ title: 'error.generic', detail: 'workshop.date is wrong' });
  });
});
