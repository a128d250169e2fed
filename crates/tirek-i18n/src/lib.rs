//! Every word Tirek shows or prints, in Kazakh, Russian and English.
//!
//! The messages are Project Fluent files under `locales/<lang>/*.ftl`: the window reads
//! the same files (bundled by Vite), the CLI and the letters read them through this
//! crate, so a message is written once for all of them.
//!
//! Invariant: the three languages carry the same message ids with the same
//! placeholders — `tests/locales.rs` fails otherwise — so a lookup that works in one
//! language works in all. The files are compiled in; nothing is read from disk.

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
pub use fluent_bundle::{FluentArgs, FluentValue};
use tirek_domain::Language;

include!(concat!(env!("OUT_DIR"), "/sources.rs"));

/// A Fluent file compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// The language the file is written in.
    pub language: Language,
    /// The file's name inside `locales/<lang>/`.
    pub file_name: &'static str,
    /// The Fluent source text.
    pub text: &'static str,
}

/// All compiled-in Fluent files, for checks that compare the languages.
pub fn sources() -> impl Iterator<Item = Source> {
    SOURCES.iter().map(|&(code, file_name, text)| Source {
        language: code.parse().expect("build.rs only lists kk, ru and en"),
        file_name,
        text,
    })
}

/// The messages of one language, ready to format.
pub struct Messages {
    language: Language,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages").field("language", &self.language).finish_non_exhaustive()
    }
}

impl Messages {
    /// Loads the messages of `language`.
    pub fn new(language: Language) -> Messages {
        let langid = language.code().parse().expect("kk, ru and en are valid language ids");
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Isolation marks (U+2068/U+2069) around placeables would end up in terminals,
        // logs and PDFs; our placeables are paths, numbers and names in the same script.
        bundle.set_use_isolating(false);
        for source in sources().filter(|source| source.language == language) {
            // The locale tests reject files with syntax errors, so a partial parse here
            // can only follow a change that has not been tested; keep what parsed.
            let resource = FluentResource::try_new(source.text.to_owned()).unwrap_or_else(|(partial, _)| partial);
            bundle.add_resource_overriding(resource);
        }
        Messages { language, bundle }
    }

    /// The language these messages are in.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The message `id` without arguments.
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with `args` filled in. An unknown id comes back as the id
    /// itself, so a mistake shows up on screen instead of as a blank.
    pub fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|message| message.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// Whether a message with this id exists.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_sources() {
        for language in Language::ALL {
            assert!(sources().any(|source| source.language == language), "no .ftl file for {language}");
        }
    }

    #[test]
    fn messages_are_formatted_in_the_requested_language() {
        let mut args = FluentArgs::new();
        args.set("path", "/srv/tirek");
        assert_eq!(
            Messages::new(Language::English).format("error-data-dir-unwritable", Some(&args)),
            "Tirek cannot write to its data folder /srv/tirek"
        );
        assert_eq!(
            Messages::new(Language::Kazakh).format("error-data-dir-unwritable", Some(&args)),
            "Tirek деректер қалтасына жаза алмайды: /srv/tirek"
        );
    }

    #[test]
    fn an_unknown_id_is_shown_as_itself() {
        assert_eq!(Messages::new(Language::Russian).get("no-such-message"), "no-such-message");
    }
}
