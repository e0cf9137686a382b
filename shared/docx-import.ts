// What a Word document (.docx) import may be: its media type, how large the upload and
// what it unpacks to may be, and the codes of its refusals. The server enforces these
// (server/import/docx*.ts, in an import worker); the client reads the same numbers to
// check a file before sending it and to explain a refusal. Imports nothing.

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const DOCX_LIMITS = {
  /** The uploaded file (images and all): a 100-page report with pictures fits. */
  bodyBytes: 10 * 1024 * 1024,
  /** What one part we read (word/document.xml, footnotes, styles, numbering) may unpack to. */
  partBytes: 16 * 1024 * 1024,
  /** What all the parts we read may unpack to together. */
  totalBytes: 32 * 1024 * 1024,
  /** Files in the zip (a real document has a few dozen). */
  entries: 10_000,
  /** XML elements in one part (a 150-page report has about 150,000): bounds a worker's memory. */
  xmlElements: 500_000,
  /** XML elements inside one another (a real document nests about 15). */
  xmlDepth: 256,
  /**
   * Paragraphs, headings and table cells the board receives: a 150-page report. The
   * board is written on the event loop, and its cost grows with the nodes it writes
   * (5,000 paragraphs take about 90 ms), not with the file's size.
   */
  paragraphs: 5_000,
  /** Characters of text the board receives (a 400-page book). */
  characters: 1_000_000,
} as const;

/** The error code of each refusal. */
export const DOCX_CODES = {
  /** 400: the bytes are not a zip archive (an old .doc, a password-protected file, another format). */
  notZip: 'docx_not_zip',
  /** 400: a zip, but not a Word document (no word/document.xml, or XML that does not parse). */
  notDocx: 'docx_not_word',
  /** 413: a part declares or unpacks to more than the limits above (a zip bomb), or the text is longer than a board takes. */
  tooLarge: 'docx_too_large',
  /** 422: an embedded object (OLE, ActiveX, another document inside: altChunk, subdocument). */
  embedded: 'docx_embedded_object',
  /** 422: a relationship to content outside the file (other than a hyperlink): nothing is fetched. */
  external: 'docx_external_content',
} as const;
