// The workshop's plain data, as the server stores it and the API returns it.
// Imports nothing: both the server and the client use these types.

/** The workshop's language (its default headings, agenda and exports) and the UI's: Spanish, English, Brazilian Portuguese. */
export const LANGUAGES = ['es', 'en', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = (v: unknown): v is Language => (LANGUAGES as readonly unknown[]).includes(v);
/** A stored or imported code as a language we speak; anything else reads as Spanish, the first one. */
export const asLanguage = (v: unknown): Language => (isLanguage(v) ? v : 'es');

/** A rapporteur writes the plenary board (shared/plenary.ts) and reads every group's. */
export const ROLES = ['facilitator', 'participant', 'projector', 'organizer', 'rapporteur'] as const;
export type Role = (typeof ROLES)[number];

export const LIMITS = {
  titleLength: 200,
  groupNameLength: 120,
  questionLength: 1000,
  /** An imported document's YAML front matter, kept with its board. */
  frontMatterLength: 4000,
  displayNameLength: 60,
  maxGroups: 60,
  joinCodeLength: 6,
  /** Starting sections per group, and a section heading's length (a template's, or the board's). */
  sectionsPerGroup: 20,
  sectionHeadingLength: 300,
  /** A Markdown document imported into a board: some 60 pages; parsing it takes about half a second. */
  markdownImportBytes: 256 * 1024,
  archiveImportBytes: 10 * 1024 * 1024,
} as const;

export interface Group {
  id: string;
  name: string;
  question: string;
  position: number;
}

export interface Workshop {
  id: string;
  title: string;
  /** Where it takes place ("Cartagena de Indias"); empty when not given. */
  place: string;
  language: Language;
  joinCode: string;
  createdAt: number;
  /** True while the facilitator has closed joining: the join code is refused. */
  joinClosed?: boolean;
}

export interface Participant {
  id: string;
  workshopId: string;
  groupId: string;
  name: string;
  joinedAt: number;
  /** Set when the facilitator removed the participant: its token no longer works. */
  removedAt: number | null;
}

/** What `GET /api/join/:code` shows anyone who has the code: no secrets. */
export interface PublicWorkshop {
  id: string;
  title: string;
  place: string;
  language: Language;
  groups: Array<Pick<Group, 'id' | 'name' | 'question'>>;
}

export interface CreateWorkshopResponse {
  id: string;
  joinCode: string;
  facilitatorToken: string;
  groups: Array<Pick<Group, 'id' | 'name'>>;
}

export interface JoinResponse {
  participantId: string;
  token: string;
  groupId: string;
  name: string;
}

/** The one shape of every HTTP error body. */
export interface ApiError {
  error: { code: string; message: string };
}
