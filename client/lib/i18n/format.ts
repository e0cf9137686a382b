// Pure helpers of the i18n layer: picking a language and filling a message.
import { isLanguage, type Language } from '../../../shared/model.js';
import type { Message, Params } from './catalogue.js';

/** The stored choice if any, else the first browser language we speak, else Spanish. */
export function pickLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'es';
}

const pluralRules = new Map<Language, Intl.PluralRules>();
function pluralRule(lang: Language, count: number): Intl.LDMLPluralRule {
  // CLDR files 0 under "one" in Portuguese (i = 0..1); screens in Brazil count none in
  // the plural ("0 ideias", "0 pontos restantes"), as Spanish and English do.
  if (lang === 'pt' && count === 0) return 'other';
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules.select(count);
}

/** Fills a message: picks the plural form for `params.count`, then replaces `{name}` holes. */
export function formatMessage(message: Message, lang: Language, params: Params = {}): string {
  let template: string;
  if (typeof message === 'string') template = message;
  else {
    const count = typeof params.count === 'number' ? params.count : 0;
    template = message[pluralRule(lang, count)] ?? message.other;
  }
  return template.replace(/\{(\w+)\}/g, (hole, name: string) => {
    const value = params[name];
    if (value === undefined) return hole;
    return typeof value === 'number' ? value.toLocaleString(lang) : value;
  });
}
