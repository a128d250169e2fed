// The window's words, from the same Fluent files under ../locales that Rust reads.
// The files are bundled at build time: the UI never reads the disk.
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import type { LanguageCode } from "./bindings";

export const LANGUAGES: readonly LanguageCode[] = ["kk", "ru", "en"];

/** Each language's own name for itself, as the switch shows it. */
export const ENDONYMS: Record<LanguageCode, string> = { kk: "Қазақша", ru: "Русский", en: "English" };

const sources = import.meta.glob("../../../locales/*/*.ftl", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

function bundleFor(language: LanguageCode): FluentBundle {
  // Isolation marks would show up as stray boxes in some fonts; our placeables are
  // paths and numbers in the surrounding script.
  const bundle = new FluentBundle(language, { useIsolating: false });
  for (const [path, text] of Object.entries(sources)) {
    if (path.split("/").at(-2) !== language) continue;
    const errors = bundle.addResource(new FluentResource(text));
    if (errors.length > 0) console.error(`locales/${language}: ${errors.join("; ")}`);
  }
  return bundle;
}

const bundles: Record<LanguageCode, FluentBundle> = {
  kk: bundleFor("kk"),
  ru: bundleFor("ru"),
  en: bundleFor("en"),
};

/** The current interface language; reading it in a component makes it reactive. */
export const locale = $state<{ language: LanguageCode }>({ language: "ru" });

/** The message `id` in the current language; an unknown id shows as itself. */
export function t(id: string, args?: Record<string, FluentVariable>): string {
  return format(locale.language, id, args);
}

/** The message `id` in a given language. */
export function format(language: LanguageCode, id: string, args?: Record<string, FluentVariable>): string {
  const bundle = bundles[language];
  const message = bundle.getMessage(id);
  if (!message?.value) return id;
  return bundle.formatPattern(message.value, args);
}

/** Whether the message exists in a language (for tests). */
export function hasMessage(language: LanguageCode, id: string): boolean {
  return bundles[language].hasMessage(id);
}

/** Switches the displayed language and the document's `lang` (for screen readers and hyphenation). */
export function showLanguage(language: LanguageCode): void {
  locale.language = language;
  if (typeof document !== "undefined") document.documentElement.lang = language;
}
