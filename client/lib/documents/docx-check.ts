// What the server would refuse of a Word document before reading it (not a .docx at all,
// larger than its limit), found before sending so the reason shows at once. Pure: the
// document itself is only ever unzipped and read by the server, in an import worker.
import { DOCX_LIMITS, DOCX_MEDIA_TYPE } from '../../../shared/docx-import.js';
import { kb, type ImportProblem } from './markdown-check.js';

export const DOCX_LIMIT_BYTES = DOCX_LIMITS.bodyBytes;

/** A chosen file is sent as a Word document when its name or type says so. */
export const isDocxFile = (file: { name: string; type: string }) => file.type === DOCX_MEDIA_TYPE || /\.docx$/i.test(file.name);

/** Why a Word document of this size, starting with `head`, cannot be sent, or null. */
export function checkDocx(head: Uint8Array, size: number): ImportProblem | null {
  if (size > DOCX_LIMIT_BYTES) return { key: 'import.docx.tooLarge', params: { size: kb(size), max: kb(DOCX_LIMIT_BYTES) } };
  // Every .docx is a zip, whose first bytes are "PK\x03\x04"; an old .doc is not.
  const zip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  return zip ? null : { key: 'import.docx.notDocx' };
}
