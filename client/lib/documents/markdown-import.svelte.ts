// Importing Markdown or a Word document into a board (the facilitator): Markdown pasted
// or read from a .md file, or a .docx sent as it is; checked first (markdown-check.ts,
// docx-check.ts), then written to the live board by the server, which every connected
// client receives.
import { describeError, type ShownError } from '../errors.js';
import type { DocumentsApi, ImportMode, MarkdownImportResult } from './documents-api.js';
import { checkDocx, DOCX_LIMIT_BYTES, isDocxFile } from './docx-check.js';
import { checkMarkdown, kb, MARKDOWN_LIMIT_BYTES, readMarkdownBytes, type ImportProblem } from './markdown-check.js';

export interface MarkdownImportTarget {
  workshopId: string;
  groupId: string;
  token: string;
}

export class MarkdownImport {
  readonly #target: MarkdownImportTarget;
  readonly #documents: DocumentsApi;
  text = $state('');
  mode = $state<ImportMode>('append');
  /** Repair text whose UTF-8 was once read as Mac Roman or Windows-1252 (`M√©tricas`). */
  repair = $state(true);
  #fileName = $state<string | null>(null);
  /** A chosen Word document: sent as it is, in place of the text. */
  #docx = $state.raw<File | null>(null);
  #problem = $state<ImportProblem | null>(null);
  #error = $state<ShownError | null>(null);
  #sending = $state(false);
  #done = $state.raw<MarkdownImportResult | null>(null);

  constructor(target: MarkdownImportTarget, documents: DocumentsApi) {
    this.#target = target;
    this.#documents = documents;
  }

  get fileName(): string | null {
    return this.#fileName;
  }

  /** The Word document to send, if one was chosen. */
  get docx(): { name: string; sizeKb: number; maxKb: number } | null {
    return this.#docx ? { name: this.#docx.name, sizeKb: kb(this.#docx.size), maxKb: kb(DOCX_LIMIT_BYTES) } : null;
  }

  get problem(): ImportProblem | null {
    return this.#problem;
  }

  get error(): ShownError | null {
    return this.#error;
  }

  get sending(): boolean {
    return this.#sending;
  }

  get done(): MarkdownImportResult | null {
    return this.#done;
  }

  get sizeKb(): number {
    return kb(new TextEncoder().encode(this.text).byteLength);
  }

  get maxKb(): number {
    return kb(MARKDOWN_LIMIT_BYTES);
  }

  /** Reads a chosen file into the text box (where it can still be edited), or keeps a Word document to send. */
  async readFile(file: File): Promise<void> {
    this.#reset();
    this.#done = null;
    if (isDocxFile(file)) {
      const problem = checkDocx(new Uint8Array(await file.slice(0, 4).arrayBuffer()), file.size);
      this.#problem = problem;
      this.#docx = problem ? null : file;
      this.#fileName = problem ? null : file.name;
      return;
    }
    this.#docx = null;
    const read = readMarkdownBytes(new Uint8Array(await file.arrayBuffer()));
    if ('problem' in read) {
      this.#problem = read.problem;
      this.#fileName = null;
      return;
    }
    this.text = read.text;
    this.#fileName = file.name;
  }

  /** Back to the text box: the chosen Word document is not sent. */
  clearDocx(): void {
    this.#docx = null;
    this.#fileName = null;
    this.#problem = null;
    this.#done = null;
  }

  edited(): void {
    this.#problem = null;
    this.#done = null;
  }

  /** Sends the text; once it is imported, only an edit (`edited`) lets it be sent again. */
  async submit(): Promise<boolean> {
    if (this.#sending || this.#done) return false;
    this.#reset();
    const docx = this.#docx;
    const problem = docx ? null : checkMarkdown(this.text);
    if (problem) {
      this.#problem = problem;
      return false;
    }
    const { workshopId, groupId, token } = this.#target;
    this.#sending = true;
    try {
      this.#done = docx
        ? await this.#documents.importDocx(workshopId, groupId, token, docx, this.mode)
        : await this.#documents.importMarkdown(workshopId, groupId, token, this.text, this.mode, this.repair);
      return true;
    } catch (err) {
      this.#error = describeError(err);
      return false;
    } finally {
      this.#sending = false;
    }
  }

  #reset(): void {
    this.#problem = null;
    this.#error = null;
  }
}
