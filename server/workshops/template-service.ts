// Templates: the built-in ones, and any workshop saved as one by its facilitator
// (its groups, guiding questions, section headings and agenda — never its content).
// A saved template's long random id is the key to it: the list offers the built-in
// ones plus those whose ids the asker names (its browser keeps the ids it saved), so
// one organisation's templates are never listed to another.
import { listSections } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import { LIMITS } from '../../shared/model.js';
import { BUILT_IN_TEMPLATES, type Template } from '../../shared/templates.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { SessionService } from '../facilitation/session-service.js';
import type { Store } from '../store/store.js';
import { notFound } from '../http/http-error.js';
import { newId } from './workshop-service.js';

export class TemplateService {
  readonly #deps: { store: Store; registry: BoardRegistry; sessions: SessionService };

  constructor(deps: { store: Store; registry: BoardRegistry; sessions: SessionService }) {
    this.#deps = deps;
  }

  /** The built-in templates, then the saved ones named by `savedIds` that exist. */
  async list(savedIds: readonly string[] = []): Promise<Template[]> {
    const saved = await Promise.all([...new Set(savedIds)].slice(0, 100).map((id) => this.#deps.store.getTemplate(id)));
    return [...BUILT_IN_TEMPLATES, ...saved.filter((t): t is Template => t !== null)];
  }

  async find(id: string): Promise<Template> {
    const template = BUILT_IN_TEMPLATES.find((t) => t.id === id) ?? (await this.#deps.store.getTemplate(id));
    if (!template) throw notFound(`No template ${id}`);
    return template;
  }

  async saveFrom(workshopId: string, name: string): Promise<Template> {
    const { store, registry, sessions } = this.#deps;
    const workshop = await store.getWorkshop(workshopId);
    if (!workshop) throw notFound('No such workshop');
    const groups = [];
    for (const g of await store.listGroups(workshopId)) {
      const board = await registry.open(boardDocName({ workshopId, groupId: g.id }));
      const headings = await board.read((doc) => listSections(doc).map((s) => s.heading.trim()).filter((h) => h !== ''));
      // Within what creating a workshop accepts, so a saved template can always be used.
      const sections = headings.slice(0, LIMITS.sectionsPerGroup).map((h) => h.slice(0, LIMITS.sectionHeadingLength));
      groups.push({ name: g.name, question: g.question, sections });
    }
    const session = await sessions.open(workshopId);
    const template: Template = {
      id: newId(16),
      name,
      language: workshop.language,
      title: workshop.title,
      groups,
      agenda: session.state.agenda.map(({ name, durationSec, kind }) => ({ name, durationSec, kind })),
      builtIn: false,
    };
    await store.saveTemplate(template, Date.now());
    return template;
  }
}
