// "Restore a workshop from a JSON archive": the chosen file goes to the server as is,
// which creates a new workshop; like creating one, its facilitator key is kept and
// the console opens.
import { LIMITS } from '../../../shared/model.js';
import { describeError, type ShownError } from '../errors.js';
import type { MessageKey } from '../i18n/es.js';
import { paths } from '../routes.js';
import type { SessionStore } from '../session.js';
import type { DocumentsApi } from './documents-api.js';

/** The server's limit for an archive. */
export const ARCHIVE_LIMIT_BYTES = LIMITS.archiveImportBytes;

export interface ArchiveRestoreDeps {
  documents: DocumentsApi;
  session: SessionStore;
  navigate(to: string): void;
}

export class ArchiveRestore {
  readonly #deps: ArchiveRestoreDeps;
  #file = $state.raw<File | null>(null);
  #submitting = $state(false);
  #problem = $state<{ key: MessageKey; params?: Record<string, number> } | null>(null);
  #error = $state<ShownError | null>(null);

  constructor(deps: ArchiveRestoreDeps) {
    this.#deps = deps;
  }

  get file(): File | null {
    return this.#file;
  }

  get submitting(): boolean {
    return this.#submitting;
  }

  /** A problem found before sending anything. */
  get problem(): { key: MessageKey; params?: Record<string, number> } | null {
    return this.#problem;
  }

  get error(): ShownError | null {
    return this.#error;
  }

  choose(file: File | null): void {
    this.#file = file;
    this.#error = null;
    this.#problem = null;
    if (file && file.size > ARCHIVE_LIMIT_BYTES) {
      const mb = (n: number) => Math.round((n / (1024 * 1024)) * 10) / 10;
      this.#problem = { key: 'archive.tooLarge', params: { size: mb(file.size), max: mb(ARCHIVE_LIMIT_BYTES) } };
    }
  }

  async submit(): Promise<void> {
    if (this.#submitting) return;
    const file = this.#file;
    if (!file) return void (this.#problem = { key: 'archive.needFile' });
    if (this.#problem) return;
    this.#error = null;
    this.#submitting = true;
    try {
      const created = await this.#deps.documents.importArchive(file);
      this.#deps.session.setFacilitatorToken(created.id, created.facilitatorToken);
      this.#deps.navigate(`${paths.facilitate(created.id)}#k=${encodeURIComponent(created.facilitatorToken)}`);
    } catch (err) {
      this.#error = describeError(err);
    } finally {
      this.#submitting = false;
    }
  }
}
