// The links of a workshop as `GET /api/workshops/:id/links` lists them (the console's Links panel).
import type { Role } from './model.js';

export interface LinkView {
  id: string;
  role: Role;
  createdAt: number;
  /** Null until first used; written at most once a minute. */
  lastUsedAt: number | null;
  expiresAt: number;
  /** A participant's link: who, and the group they are in now. */
  participantId?: string;
  name?: string;
  groupId?: string;
}
