// English messages of the Word (.docx) import: every key of `es-docx.ts`, translated.
import type { Message } from './catalogue.js';
import type { esDocx } from './es-docx.js';

export const enDocx: Record<keyof typeof esDocx, Message> = {
  'import.docx.chosen': 'Word document: {name}',
  'import.docx.size': '{size} KB of {max} KB',
  'import.docx.hint': 'Its headings, bold and italic, lists, tables, links and footnotes are imported. Pictures and drawings are left out.',
  'import.docx.clear': 'Remove the document',
  'import.docx.tooLarge': 'The Word document is {size} KB; the limit is {max} KB.',
  'import.docx.notDocx': 'The file is not a Word document (.docx). If it is an old .doc, open it in Word and save it as .docx.',
  'import.docx.drawings': {
    one: '{count} picture or drawing was left out: the board holds text only.',
    other: '{count} pictures or drawings were left out: the board holds text only.',
  },
  'error.docx_refused': 'Word document refused',
  'import.refused.docxNotZip': 'The file is not a Word document (.docx). If it is an old .doc or password-protected, open it in Word and save it as .docx without a password.',
  'import.refused.docxNotWord': 'The file is not a valid Word document: it is damaged or holds no document text.',
  'import.refused.docxTooLarge': 'The document is too large to import: it unpacks to more than allowed or has more than {max} paragraphs and cells. Import it in parts.',
  'import.refused.docxEmbedded': 'The document contains an embedded object (OLE, ActiveX or another document inside). Remove it, or paste its content as text, and try again.',
  'import.refused.docxExternal': 'The document links to outside content (a linked picture, for example), which an import never downloads. Remove it and try again.',
};
