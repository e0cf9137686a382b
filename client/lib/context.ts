// What every component may reach: the language, the router, kept tokens and the API.
import { createContext } from 'svelte';
import type { Api } from './api.js';
import type { I18n } from './i18n/i18n.svelte.js';
import type { Router } from './router.svelte.js';
import type { SessionStore } from './session.js';

export interface AppContext {
  i18n: I18n;
  router: Router;
  session: SessionStore;
  api: Api;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();
