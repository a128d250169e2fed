//! The three languages must say the same things: every message id, attribute and
//! placeholder found in one language is found in the others, and every file parses.
//! A translator who drops a `{ $path }` or forgets a new message fails this test.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, Resource};
use tirek_domain::Language;

/// What a message exposes to callers: its attributes and the variables it uses.
#[derive(Debug, Default, PartialEq, Eq)]
struct Shape {
    attributes: BTreeSet<String>,
    variables: BTreeSet<String>,
}

/// (file name, message id) → shape, for one language.
type Catalogue = BTreeMap<(String, String), Shape>;

fn catalogue(language: Language) -> Catalogue {
    let mut catalogue = Catalogue::new();
    for source in tirek_i18n::sources().filter(|source| source.language == language) {
        let resource = match fluent_syntax::parser::parse(source.text) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("locales/{language}/{} does not parse: {errors:?}", source.file_name),
        };
        for (id, shape) in shapes(&resource) {
            let key = (source.file_name.to_owned(), id);
            let duplicate = catalogue.insert(key.clone(), shape).is_some();
            assert!(!duplicate, "locales/{language}/{}: `{}` is defined twice", key.0, key.1);
        }
    }
    catalogue
}

fn shapes(resource: &Resource<&str>) -> Vec<(String, Shape)> {
    let mut out = Vec::new();
    for entry in &resource.body {
        let (id, value, attributes) = match entry {
            Entry::Message(message) => (message.id.name.to_owned(), message.value.as_ref(), &message.attributes),
            Entry::Term(term) => (format!("-{}", term.id.name), Some(&term.value), &term.attributes),
            _ => continue,
        };
        let mut shape = Shape::default();
        if let Some(value) = value {
            collect_variables(value, &mut shape.variables);
        }
        for attribute in attributes {
            shape.attributes.insert(attribute.id.name.to_owned());
            collect_variables(&attribute.value, &mut shape.variables);
        }
        out.push((id, shape));
    }
    out
}

fn collect_variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            collect_from_expression(expression, out);
        }
    }
}

fn collect_from_expression(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => collect_from_inline(inline, out),
        Expression::Select { selector, variants } => {
            collect_from_inline(selector, out);
            for variant in variants {
                collect_variables(&variant.value, out);
            }
        }
    }
}

fn collect_from_inline(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                collect_from_inline(argument, out);
            }
            for named in &arguments.named {
                collect_from_inline(&named.value, out);
            }
        }
        InlineExpression::Placeable { expression } => collect_from_expression(expression, out),
        _ => {}
    }
}

#[test]
fn every_language_has_the_same_messages_and_placeholders() {
    let english = catalogue(Language::English);
    assert!(english.len() > 20, "suspiciously few English messages: {}", english.len());
    let mut problems = Vec::new();
    for language in [Language::Kazakh, Language::Russian] {
        let other = catalogue(language);
        for (key, shape) in &english {
            match other.get(key) {
                None => problems.push(format!("{language}: {} lacks `{}`", key.0, key.1)),
                Some(theirs) if theirs != shape => {
                    problems.push(format!("{language}: `{}` in {} has {theirs:?}, English has {shape:?}", key.1, key.0))
                }
                Some(_) => {}
            }
        }
        for key in other.keys().filter(|key| !english.contains_key(*key)) {
            problems.push(format!("{language}: {} has `{}`, which English lacks", key.0, key.1));
        }
    }
    assert!(problems.is_empty(), "the locales disagree:\n{}", problems.join("\n"));
}

#[test]
fn a_dropped_placeholder_or_attribute_changes_the_shape() {
    // Guards against a checker that compares nothing.
    let shape_of = |source: &'static str| {
        let resource = fluent_syntax::parser::parse(source).expect("parses");
        shapes(&resource).remove(0).1
    };
    let reference = shape_of(
        "m = Folder { $path }\n    .title = { $count ->\n        [one] one\n       *[other] { $count }\n    }\n",
    );
    assert_eq!(reference.variables, BTreeSet::from(["path".to_owned(), "count".to_owned()]));
    assert_eq!(reference.attributes, BTreeSet::from(["title".to_owned()]));
    assert_ne!(
        reference,
        shape_of("m = Folder\n    .title = { $count ->\n        [one] one\n       *[other] { $count }\n    }\n")
    );
    assert_ne!(reference, shape_of("m = Folder { $path }\n"));
}
