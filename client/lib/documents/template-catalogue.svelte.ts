// The templates the create form offers, loaded once from the server.
import { describeError, type ShownError } from '../errors.js';
import type { DocumentsApi } from './documents-api.js';
import { templateOptions, type TemplateOption } from './template-choice.js';
import type { Template } from '../../../shared/templates.js';

export class TemplateCatalogue {
  readonly #documents: DocumentsApi;
  readonly #savedIds: () => string[];
  #templates = $state.raw<Template[]>([]);
  #error = $state<ShownError | null>(null);

  constructor(documents: DocumentsApi, savedIds: () => string[]) {
    this.#documents = documents;
    this.#savedIds = savedIds;
  }

  async load(): Promise<void> {
    try {
      this.#templates = await this.#documents.templates(this.#savedIds());
    } catch (err) {
      this.#error = describeError(err); // the form still works without templates
    }
  }

  /** A blank start, then the built-in and saved templates. */
  get options(): TemplateOption[] {
    return templateOptions(this.#templates);
  }

  get error(): ShownError | null {
    return this.#error;
  }
}
