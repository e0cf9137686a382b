// Request bodies of the HTTP API, checked with zod before anything is stored.
import { z } from 'zod';
import { LANGUAGES, LIMITS } from '../../shared/model.js';

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
