// The console's documents panel: the way to the export page, an export-only link for
// organizers, and saving the workshop's shape as a template.
import { describeError, type ShownError } from '../errors.js';
import { paths } from '../routes.js';
import type { DocumentsApi } from './documents-api.js';

export interface FacilitatorDocumentsDeps {
  documents: DocumentsApi;
  origin: string;
  /** Keeps a saved template's id: the key to find it again from the home page. */
  rememberTemplate(id: string): void;
}

export class FacilitatorDocuments {
  readonly workshopId: string;
  readonly #token: string;
  readonly #deps: FacilitatorDocumentsDeps;
  #organizerUrl = $state<string | null>(null);
  #creatingLink = $state(false);
  #linkError = $state<ShownError | null>(null);
  templateName = $state('');
  #savingTemplate = $state(false);
  #templateSaved = $state<string | null>(null);
  #templateError = $state<ShownError | null>(null);

  constructor(workshopId: string, token: string, workshopTitle: string, deps: FacilitatorDocumentsDeps) {
    this.workshopId = workshopId;
    this.#token = token;
    this.#deps = deps;
    this.templateName = workshopTitle;
  }

  get exportPath(): string {
    return paths.export(this.workshopId);
  }

  get organizerUrl(): string | null {
    return this.#organizerUrl;
  }

  get creatingLink(): boolean {
    return this.#creatingLink;
  }

  get linkError(): ShownError | null {
    return this.#linkError;
  }

  async createOrganizerLink(): Promise<void> {
    if (this.#creatingLink) return;
    this.#creatingLink = true;
    this.#linkError = null;
    try {
      const { token } = await this.#deps.documents.organizerLink(this.workshopId, this.#token);
      this.#organizerUrl = `${this.#deps.origin}${paths.export(this.workshopId)}#k=${encodeURIComponent(token)}`;
    } catch (err) {
      this.#linkError = describeError(err);
    } finally {
      this.#creatingLink = false;
    }
  }

  get savingTemplate(): boolean {
    return this.#savingTemplate;
  }

  /** The name of the template just saved. */
  get templateSaved(): string | null {
    return this.#templateSaved;
  }

  get templateError(): ShownError | null {
    return this.#templateError;
  }

  async saveTemplate(): Promise<void> {
    const name = this.templateName.trim();
    if (this.#savingTemplate || name === '') return;
    this.#savingTemplate = true;
    this.#templateError = null;
    this.#templateSaved = null;
    try {
      const saved = await this.#deps.documents.saveTemplate(this.workshopId, this.#token, name);
      this.#deps.rememberTemplate(saved.id);
      this.#templateSaved = saved.name;
    } catch (err) {
      this.#templateError = describeError(err);
    } finally {
      this.#savingTemplate = false;
    }
  }
}
