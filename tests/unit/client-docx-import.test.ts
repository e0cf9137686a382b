// The import dialog's side of Word documents: a file that is no .docx, or is over the
// limit, is caught before sending; each refusal the server sends for one is explained in
// Spanish, English and Portuguese.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/lib/api.js';
import { checkDocx, isDocxFile } from '../../client/lib/documents/docx-check.js';
import { describeError } from '../../client/lib/errors.js';
import { en } from '../../client/lib/i18n/en.js';
import { es } from '../../client/lib/i18n/es.js';
import { formatMessage } from '../../client/lib/i18n/format.js';
import { pt } from '../../client/lib/i18n/pt.js';
import { DOCX_CODES, DOCX_LIMITS, DOCX_MEDIA_TYPE } from '../../shared/docx-import.js';

const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04]);

describe('Word documents in the import dialog', () => {
  it('sends a file as a Word document by its name or its type', () => {
    expect(isDocxFile({ name: 'Informe.DOCX', type: '' })).toBe(true);
    expect(isDocxFile({ name: 'informe', type: DOCX_MEDIA_TYPE })).toBe(true);
    expect(isDocxFile({ name: 'informe.md', type: 'text/markdown' })).toBe(false);
  });

  it('catches a file that is not a zip, or is over the limit, before sending', () => {
    expect(checkDocx(ZIP, 1_000)).toBeNull();
    expect(checkDocx(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]), 1_000)).toEqual({ key: 'import.docx.notDocx' });
    expect(checkDocx(ZIP, DOCX_LIMITS.bodyBytes + 1)).toEqual({ key: 'import.docx.tooLarge', params: { size: 10_241, max: 10_240 } });
  });

  it.each(Object.values(DOCX_CODES))('explains %s in Spanish, English and Portuguese', (code) => {
    const error = describeError(new ApiError(422, code, 'refused'));
    expect(error.explain).toBeDefined();
    const texts = ([['es', es], ['en', en], ['pt', pt]] as const).map(([lang, catalogue]) => ({
      title: formatMessage(catalogue[error.title], lang),
      text: formatMessage(catalogue[error.explain!.key], lang, error.explain!.params),
    }));
    expect(texts.map((t) => t.title)).toEqual(['Documento de Word rechazado', 'Word document refused', 'Documento do Word recusado']);
    for (const t of texts) expect(t.text.length).toBeGreaterThan(40);
  });
});
