//! Typed value readers: strings, booleans, ids, enumerations and lists of
//! them. Each reads one table entry, reports a value of the wrong type or
//! out of range, and keeps the field as invalid rather than dropping it.

use toml::de::DeValue;

use super::schema::Ty;
use super::{Entry, Walker, article, invalid, schema};
use crate::model::{Field, List, Ref, Text};
use crate::source::Span;
use crate::suggest;

impl Walker<'_> {
    pub(super) fn string(
        &mut self,
        entry: Option<Entry<'_, '_>>,
    ) -> Option<Field<crate::model::Text>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::String(s) => Some(Field::known(span, Text::from(s.as_ref()))),
            _ => {
                self.type_error(v, "a string", k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    pub(super) fn boolean(&mut self, entry: Option<Entry<'_, '_>>) -> Option<Field<bool>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Field::known(span, *b)),
            _ => {
                self.type_error(v, "a boolean (`true` or `false`)", k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    pub(super) fn reference(&mut self, entry: Option<Entry<'_, '_>>) -> Option<Field<Ref>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::String(s) => Some(Field::known(span, Ref::new(s.as_ref()))),
            _ => {
                self.type_error(v, "an id (a string)", k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    fn enum_value<T>(
        &mut self,
        key: &str,
        span: Span,
        s: &str,
        values: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let parsed = parse(s);
        if parsed.is_none() {
            let mut d = invalid(
                span,
                format!(
                    "`{s}` is not a valid `{key}`: expected {}",
                    suggest::one_of(values)
                ),
            )
            .key(key.to_owned());
            if let Some(near) = suggest::nearest(s, values) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            self.report(d);
        }
        parsed
    }

    pub(super) fn enumerated<T>(
        &mut self,
        entry: Option<Entry<'_, '_>>,
        values: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<Field<T>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::String(s) => Some(Field {
                span,
                value: self.enum_value(k.get_ref(), span, s, values, parse),
            }),
            _ => {
                let expected = format!("one of {}", suggest::one_of(values));
                self.type_error(v, &expected, k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    /// A list of strings; elements that are not strings are reported and
    /// kept as invalid; duplicates are dropped (lists are sets).
    pub(super) fn list(
        &mut self,
        entry: Option<Entry<'_, '_>>,
        ty: Ty,
    ) -> Option<List<crate::model::Text>> {
        let (k, v) = entry?;
        let key = k.get_ref().as_ref();
        let span = self.span(v.span());
        if self.is_broken(k.span()) {
            return Some(Field::invalid(span));
        }
        let DeValue::Array(items) = v.get_ref() else {
            if self.is_broken(v.span()) {
                return Some(Field::invalid(span));
            }
            self.type_error(v, ty.describe(), key);
            return Some(Field::invalid(span));
        };
        let mut seen = Seen::default();
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            let item_span = self.span(item.span());
            if self.is_broken(item.span()) {
                out.push(Field::invalid(item_span));
                continue;
            }
            match item.get_ref() {
                DeValue::String(s) => {
                    if !seen.insert(s.as_ref()) {
                        continue;
                    }
                    if ty == Ty::SlugList && !schema::is_slug(s) {
                        self.report(
                            invalid(
                                item_span,
                                format!("`{s}` is not a valid id: ids are kebab-case slugs"),
                            )
                            .key(key.to_owned()),
                        );
                        out.push(Field::invalid(item_span));
                        continue;
                    }
                    out.push(Field::known(item_span, Text::from(s.as_ref())));
                }
                other => {
                    let found = article(other.type_str());
                    self.report(
                        invalid(
                            item_span,
                            format!("elements of `{key}` must be strings, found {found}"),
                        )
                        .key(key.to_owned()),
                    );
                    out.push(Field::invalid(item_span));
                }
            }
        }
        if out.is_empty() && matches!(ty, Ty::RefList { non_empty: true }) {
            self.report(
                invalid(span, format!("`{key}` must not be empty"))
                    .help(format!("list at least one id in `{key}`"))
                    .key(key.to_owned()),
            );
            return Some(Field::invalid(span));
        }
        Some(Field::known(span, out))
    }

    pub(super) fn refs(
        &mut self,
        entry: Option<Entry<'_, '_>>,
        non_empty: bool,
    ) -> Option<List<Ref>> {
        self.list(entry, Ty::RefList { non_empty }).map(ref_list)
    }

    pub(super) fn enum_list<T>(
        &mut self,
        entry: Option<Entry<'_, '_>>,
        values: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<List<T>> {
        let key = entry
            .map(|(k, _)| k.get_ref().to_string())
            .unwrap_or_default();
        let list = self.list(entry, Ty::EnumList(&[]))?;
        let Some(items) = list.value else {
            return Some(Field::invalid(list.span));
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let value = match &item.value {
                Some(s) => self.enum_value(&key, item.span, s, values, parse),
                None => None,
            };
            out.push(Field {
                span: item.span,
                value,
            });
        }
        Some(Field::known(list.span, out))
    }
}

/// The strings of a list seen so far: a linear scan for the short lists
/// org files hold, a hash set beyond that.
#[derive(Default)]
struct Seen<'s> {
    few: Vec<&'s str>,
    many: foldhash::HashSet<&'s str>,
}

impl<'s> Seen<'s> {
    const FEW: usize = 16;

    /// Adds `s`; false when it was already there.
    fn insert(&mut self, s: &'s str) -> bool {
        if self.many.is_empty() {
            if self.few.contains(&s) {
                return false;
            }
            if self.few.len() < Self::FEW {
                self.few.push(s);
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(s)
    }
}

pub(super) fn ref_list(list: List<crate::model::Text>) -> List<Ref> {
    Field {
        span: list.span,
        value: list.value.map(|items| {
            items
                .into_iter()
                .map(|f| Field {
                    span: f.span,
                    value: f.value.map(Ref::new),
                })
                .collect()
        }),
    }
}
