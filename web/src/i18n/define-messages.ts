/**
 * A feature's own strings, in both languages. Features that arrived after the core catalogue keep their
 * strings beside their code and are spread into `messages.ts`; the type makes the English keys match
 * the Bulgarian ones, so a missing translation fails the build just as it does in the core catalogue.
 */
export function defineMessages<const K extends string>(catalogue: {
  bg: Record<K, string>;
  en: NoInfer<Record<K, string>>;
}): { bg: Record<K, string>; en: Record<K, string> } {
  return catalogue;
}
