// Which templates the create form offers, and what picking one fills in. Pure.
import { LIMITS, type Language } from '../../../shared/model.js';
import type { Template } from '../../../shared/templates.js';
import type { MessageKey } from '../i18n/es.js';

/** A built-in template that brings no groups of substance, title or agenda: "start from nothing". */
export const isBlankTemplate = (t: Template): boolean => t.builtIn && t.title === '' && t.agenda.length === 0;

/** The blank start's option id (no template is sent). */
export const BLANK_ID = '';

export interface TemplateOption {
  /** null for the blank start. */
  template: Template | null;
  id: string;
}

/** A blank start first, then every template with substance: built-in ones, then saved ones. */
export function templateOptions(templates: readonly Template[]): TemplateOption[] {
  const full = templates.filter((t) => !isBlankTemplate(t));
  const ordered = [...full.filter((t) => t.builtIn), ...full.filter((t) => !t.builtIn)];
  return [{ id: BLANK_ID, template: null }, ...ordered.map((t) => ({ id: t.id, template: t }))];
}

const BUILT_IN_NAMES: Record<string, MessageKey> = {
  'red-de-proyectos': 'template.builtin.red-de-proyectos',
};

/** A built-in template's name in the UI's language; saved ones keep the name they were given. */
export const builtInNameKey = (t: Template): MessageKey | null => (t.builtIn ? (BUILT_IN_NAMES[t.id] ?? null) : null);

export interface TemplateFill {
  title: string;
  language: Language;
  groups: Array<{ name: string; question: string; sections: string[] }>;
}

/**
 * What `POST /api/workshops` accepts for a group's starting sections
 * (server/http/schemas.ts): a saved template may hold more, or longer headings.
 */
export const SECTION_LIMITS = { count: LIMITS.sectionsPerGroup, headingLength: LIMITS.sectionHeadingLength } as const;

/** What a template puts into the form; the person may still change every field. */
export function fillFrom(t: Template): TemplateFill {
  return {
    title: t.title.slice(0, LIMITS.titleLength),
    language: t.language,
    groups: t.groups.slice(0, LIMITS.maxGroups).map((g) => ({
      name: g.name.slice(0, LIMITS.groupNameLength),
      question: g.question.slice(0, LIMITS.questionLength),
      sections: g.sections.slice(0, SECTION_LIMITS.count).map((h) => h.slice(0, SECTION_LIMITS.headingLength)),
    })),
  };
}
