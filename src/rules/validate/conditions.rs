//! Checks on conditions and choices: a condition names only schemes, groups, levels and
//! categories the pack declares; a choice's rows and amounts are well formed; an income line
//! is an amount or a reference line, not both.

use super::Validator;
use crate::error::ErrorCode;
use crate::rules::choice::Choice;
use crate::rules::condition::Condition;
use crate::rules::policy::*;

impl Validator<'_> {
    pub(super) fn condition(&mut self, c: &Condition, path: &str) {
        for (name, n) in [
            ("schemes", c.schemes.len()),
            ("groups", c.groups.len()),
            ("categories", c.categories.len()),
            ("diagnoses", c.diagnoses.len()),
            ("settings", c.settings.len()),
            ("levels", c.levels.len()),
            ("localities", c.localities.len()),
            ("codes", c.codes.len()),
            ("any", c.any.len()),
        ] {
            self.rules(n, || format!("{path}.{name}"));
        }
        let is_programme = self.pack.kind == PackKind::Programme;
        for (i, s) in c.schemes.iter().enumerate() {
            if !is_programme && !self.schemes.contains(s.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.schemes[{i}]"),
                    format!("scheme \"{s}\" is not defined in the pack"),
                );
            }
        }
        for (i, g) in c.groups.iter().enumerate() {
            if !is_programme && !self.groups.contains(g.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.groups[{i}]"),
                    format!("member group \"{g}\" is not defined by any scheme of the pack"),
                );
            }
        }
        for (i, l) in c.levels.iter().enumerate() {
            if !is_programme && !self.levels.contains(l.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.levels[{i}]"),
                    format!("hospital level \"{l}\" is not defined in the pack"),
                );
            }
        }
        for (i, k) in c.categories.iter().enumerate() {
            if !is_programme && !self.categories.contains(k.as_str()) {
                self.err(
                    ErrorCode::UnknownReference,
                    format!("{path}.categories[{i}]"),
                    format!("assistance category \"{k}\" is not defined in the pack"),
                );
            }
        }
        for (name, l) in [
            ("incomePerPersonBelow", &c.income_per_person_below),
            ("incomePerPersonAtLeast", &c.income_per_person_at_least),
        ] {
            if let Some(l) = l {
                self.income_line(l, &format!("{path}.{name}"));
                if let Err(e) = l.times_ppm() {
                    self.err(ErrorCode::InvalidValue, format!("{path}.{name}.times"), e);
                }
                if l.amount.is_none() && l.line.is_none() {
                    self.err(
                        ErrorCode::MissingField,
                        format!("{path}.{name}"),
                        "give an amount or a line",
                    );
                }
                if let (Some(line), false) = (&l.line, is_programme) {
                    if !self
                        .pack
                        .general
                        .iter()
                        .any(|g| g.lines.contains_key(line) || g.unsourced_lines.contains(line))
                    {
                        self.err(ErrorCode::UnknownReference, format!("{path}.{name}.line"), format!("reference line \"{line}\" is not in any `general` edition of the pack (declare it in `unsourcedLines` if no source gives its value)"));
                    }
                }
            }
        }
        for (i, a) in c.any.iter().enumerate() {
            self.condition(a, &format!("{path}.any[{i}]"));
        }
        if let Some(n) = &c.not {
            self.condition(n, &format!("{path}.not"));
        }
    }

    pub(super) fn choice<T>(&mut self, c: &Choice<T>, path: &str) {
        if let Choice::Table(rows) = c {
            self.rules(rows.len(), || path.to_string());
            if rows.is_empty() {
                self.err(
                    ErrorCode::InvalidValue,
                    path.to_string(),
                    "a table of values needs at least one row",
                );
            }
            for (i, r) in rows.iter().enumerate() {
                if let Some(w) = &r.when {
                    self.condition(w, &format!("{path}[{i}].when"));
                }
                match (&r.value, &r.gap) {
                    (Some(_), Some(_)) => self.err(
                        ErrorCode::Inconsistent,
                        format!("{path}[{i}]"),
                        "a row gives either a `value` or a `gap`, not both",
                    ),
                    (None, None) => self.err(
                        ErrorCode::MissingField,
                        format!("{path}[{i}].value"),
                        "a row needs a `value` (or a `gap` saying no source gives it)",
                    ),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn amounts(&mut self, c: &Choice<crate::rules::choice::Amount>, path: &str) {
        self.choice(c, path);
        for a in c.values() {
            self.line(a, path);
        }
    }

    pub(super) fn line(&mut self, a: &crate::rules::choice::Amount, path: &str) {
        if let crate::rules::choice::Amount::Line { line, .. } = a {
            if self.pack.kind != PackKind::Programme
                && !self
                    .pack
                    .general
                    .iter()
                    .any(|g| g.lines.contains_key(line) || g.unsourced_lines.contains(line))
            {
                self.err(
                    ErrorCode::UnknownReference,
                    path.to_string(),
                    format!(
                        "reference line \"{line}\" is not in any `general` edition of the pack (declare it in `unsourcedLines` if no source gives its value)"
                    ),
                );
            }
        }
    }

    /// An income line is an absolute `amount`, or a reference `line` times `times`: given
    /// both, the amount wins and the line is ignored; `times` without a line means nothing.
    pub(super) fn income_line(&mut self, l: &crate::rules::condition::IncomeLine, path: &str) {
        if l.amount.is_some() && l.line.is_some() {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.line"),
                "give either an `amount` or a `line` (with `times`), not both: the line would be ignored",
            );
        }
        if l.times.is_some() && l.line.is_none() {
            self.err(
                ErrorCode::Inconsistent,
                format!("{path}.times"),
                "`times` multiplies a reference `line`; without a line it would be ignored",
            );
        }
    }
}
