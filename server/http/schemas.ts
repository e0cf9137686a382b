// Request bodies of the HTTP API, checked with zod before anything is stored.
import { z } from 'zod';
import { LANGUAGES, LIMITS } from '../../shared/model.js';
import { displayNameProblem, type NameProblem } from '../../shared/display-name.js';
import { PLENARY_LIMITS } from '../../shared/plenary.js';
import { HttpError } from './http-error.js';

// Printable text: no control characters (they break exports and terminals).
const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'));
const optionalText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'))
    .optional();

/** Title and groups may be left to a template; without one they are required (checked by the service). */
export const createWorkshopBody = z.object({
  title: text(LIMITS.titleLength).optional(),
  place: optionalText(LIMITS.titleLength),
  language: z.enum(LANGUAGES).optional(),
  template: z.string().max(64).optional(),
  groups: z
    .array(z.object({
      name: text(LIMITS.groupNameLength),
      question: optionalText(LIMITS.questionLength),
      sections: z.array(text(LIMITS.sectionHeadingLength)).max(LIMITS.sectionsPerGroup).optional(),
    }))
    .min(1)
    .max(LIMITS.maxGroups)
    .optional(),
});

export const saveTemplateBody = z.object({ name: text(LIMITS.titleLength) });

export const joinBody = z.object({
  code: z.string().max(32),
  name: text(LIMITS.displayNameLength),
  groupId: z.string().max(64),
  /** A random key the browser keeps for itself (never cleared when removed): a removed person cannot rejoin from it. */
  device: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/).optional(),
});

/** "groups.0.name: Too big…" — a message a person can act on. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

export const lockBody = z.object({ locked: z.boolean() });

const NAME_PROBLEMS: Record<NameProblem, string> = {
  empty: 'A name is needed',
  too_long: `A name has at most ${LIMITS.displayNameLength} characters`,
  control: 'A name may not contain control characters',
  format: 'A name may not contain invisible formatting characters: text-direction overrides or isolates (U+202A–U+202E, U+2066–U+2069), zero-width spaces and the like',
  invisible: 'A name needs at least one visible letter, digit or symbol',
};

/** The shared name rule (shared/display-name.ts): a name that breaks it is a 400 `bad_name` saying why. */
export function assertDisplayName(name: string): void {
  const problem = displayNameProblem(name);
  if (problem) throw new HttpError(400, 'bad_name', NAME_PROBLEMS[problem]);
}

// The plenary board (plenary-routes.ts): what to pull, and what to merge.
const boardId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id');
/** A passage selected in the card or section: only those words are pulled (they must be in its text now). */
const passage = z.string().max(PLENARY_LIMITS.passage, `a passage is at most ${PLENARY_LIMITS.passage} characters`).optional();
export const pullBody = z.union([
  z.object({ groupId: boardId, cardId: boardId, passage }).strict(),
  z.object({ groupId: boardId, sectionId: boardId, passage }).strict(),
]);
export const mergeBody = z.object({ itemIds: z.array(boardId).min(2).max(50) });
