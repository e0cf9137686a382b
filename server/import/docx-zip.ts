// A .docx is a zip: this opens it (yauzl, in an import worker) and unpacks only the few
// XML parts the reader needs, within limits. A zip bomb — a small file whose part declares,
// or really unpacks to, hundreds of megabytes — is refused before it is unpacked past
// DOCX_LIMITS: the declared size is checked before a part is opened, and the bytes are
// counted while they stream (yauzl also ends a stream that outgrows its declared size).
// Pictures, embedded files and every other part are never unpacked.
import { Buffer } from 'node:buffer';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { DOCX_CODES, DOCX_LIMITS } from '../../shared/docx-import.js';
import { HttpError } from '../http/http-error.js';

/** Parts the reader uses, by their name in the zip (as a document's relationships name them). */
export const DOCX_PARTS = [
  'docProps/core.xml',
  'word/document.xml',
  'word/_rels/document.xml.rels',
  'word/styles.xml',
  'word/numbering.xml',
  'word/footnotes.xml',
  'word/_rels/footnotes.xml.rels',
  'word/endnotes.xml',
  'word/_rels/endnotes.xml.rels',
] as const;

export interface DocxZip {
  /** The parts of DOCX_PARTS present, as text. */
  parts: Map<string, string>;
  /** Every file name in the zip (to find embedded objects without unpacking them). */
  names: string[];
}

export const notZip = () =>
  new HttpError(400, DOCX_CODES.notZip, 'The file is not a Word document (.docx): it is not a zip archive (an old .doc or a password-protected file?)');
export const notDocx = (why: string) => new HttpError(400, DOCX_CODES.notDocx, `The file is not a Word document (.docx): ${why}`);
const tooLarge = (what: string, declared = true) =>
  new HttpError(413, DOCX_CODES.tooLarge, `The document unpacks to more than an import may read (${what}); ${declared ? 'refused before unpacking it' : 'unpacking was stopped there'}`);
const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

const wanted = new Set<string>(DOCX_PARTS);

function open(bytes: Uint8Array): Promise<ZipFile> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }).catch(() => {
    throw notZip();
  });
}

/** One part's bytes, counted as they stream: past `limit` the stream is ended and the import refused. */
async function unpack(zip: ZipFile, entry: Entry, limit: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge(`${entry.fileName} unpacks past ${mb(limit)}`, false);
      chunks.push(chunk);
    }
  } catch (err) {
    stream.destroy();
    if (err instanceof HttpError) throw err;
    // yauzl's own checks: more bytes than the part declared (a bomb that lies), a broken deflate stream.
    if (err instanceof Error && /too many bytes/i.test(err.message)) throw tooLarge(`${entry.fileName} unpacks to more than it declares`, false);
    throw notDocx(`${entry.fileName} cannot be unpacked (${err instanceof Error ? err.message : 'corrupt'})`);
  }
  return Buffer.concat(chunks, size);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Opens a .docx and unpacks the parts of DOCX_PARTS; refuses what is not a zip, or would unpack past the limits. */
export async function readDocxZip(bytes: Uint8Array): Promise<DocxZip> {
  const zip = await open(bytes);
  if (zip.entryCount > DOCX_LIMITS.entries) {
    zip.close();
    throw notDocx(`it holds ${zip.entryCount} files (at most ${DOCX_LIMITS.entries})`);
  }
  const parts = new Map<string, string>();
  const names: string[] = [];
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      names.push(entry.fileName);
      if (!wanted.has(entry.fileName) || parts.has(entry.fileName)) continue;
      if (entry.isEncrypted()) throw notDocx(`${entry.fileName} is encrypted`);
      // The declared size first: a bomb that says what it is never starts to unpack.
      if (entry.uncompressedSize > DOCX_LIMITS.partBytes) throw tooLarge(`${entry.fileName} declares ${mb(entry.uncompressedSize)}, at most ${mb(DOCX_LIMITS.partBytes)}`);
      if (total + entry.uncompressedSize > DOCX_LIMITS.totalBytes) throw tooLarge(`its parts declare more than ${mb(DOCX_LIMITS.totalBytes)}`);
      const data = await unpack(zip, entry, Math.min(DOCX_LIMITS.partBytes, DOCX_LIMITS.totalBytes - total));
      total += data.byteLength;
      parts.set(entry.fileName, utf8.decode(data));
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw notDocx(`its zip directory is damaged (${err instanceof Error ? err.message : 'unreadable'})`);
  } finally {
    zip.close();
  }
  if (!parts.has('word/document.xml')) throw notDocx('it has no word/document.xml');
  return { parts, names };
}
