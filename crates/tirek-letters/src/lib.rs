//! Tirek's printed documents: referral letters, the parent's handout of local
//! services, consent forms, recovery sheets and client summaries, rendered to PDF.
//!
//! Invariants: only this crate knows printpdf; layout is a pure function from a
//! document's content to pages, tested by the text `pdftotext` reads back; every
//! document embeds a subset of the freely licensed font in `fonts/`, so Kazakh
//! letters print the same on every computer; the words come from `templates/` and
//! the Fluent files, never from code.
//!
//! The crate is empty until the letters arrive (issue 6); it exists now so that the
//! workspace in `ARCHITECTURE.md` is the one the code grows into.
