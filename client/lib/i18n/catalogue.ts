// The shape of a message catalogue. A message is a template with `{name}` holes, or
// a set of plural forms chosen by the `count` parameter (Intl.PluralRules).
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
export type Params = Record<string, string | number>;
