//! Checks on sources and dates: every rule cites a source the pack declares, each source
//! carries the grade its evidence earns (an official page, not a site's front page; grade A
//! only from a government host), and editions have sound, non-overlapping dates.

use super::Validator;
use crate::error::ErrorCode;
use crate::rules::policy::*;

impl Validator<'_> {
    pub(super) fn source(&mut self, id: &str, path: String) {
        if !self.pack.sources.contains_key(id) {
            self.err(
                ErrorCode::UnknownReference,
                path,
                format!("source \"{id}\" is not in the pack's sources"),
            );
        }
    }

    /// The grade policy for one source (`policies/README.md`, *Grades*): a citation names
    /// the page with the figure, a mirror is never A, A is the government's own text.
    pub(super) fn source_grade(&mut self, id: &str, s: &Source) {
        let path = format!("$.sources.{id}");
        if let Some(url) = &s.url {
            if is_site_root(url) {
                self.err(
                    ErrorCode::WeakSource,
                    format!("{path}.url"),
                    format!("\"{url}\" is a site's front page: cite the page or document with the figure"),
                );
            }
        }
        if s.url.is_none() && s.document.is_none() && s.grade == Grade::A {
            self.err(
                ErrorCode::WeakSource,
                format!("{path}.url"),
                "a grade A source needs the address of the page with the figure or the document number",
            );
        }
        if s.grade == Grade::A {
            if s.mirror_of.is_some() {
                self.err(
                    ErrorCode::WeakSource,
                    format!("{path}.grade"),
                    "a mirror is graded B at most: grade A is the government's own page or document",
                );
            }
            let official = s.url.as_deref().is_some_and(is_government_host) || s.document.is_some();
            if !official && self.pack.kind != PackKind::Programme {
                self.err(
                    ErrorCode::WeakSource,
                    format!("{path}.grade"),
                    "grade A is for a government page (a gov.cn address) or a numbered official document",
                );
            }
        }
        if let Some(v) = &s.validity {
            if let Until::On(u) = v.until {
                if u < v.from {
                    self.err(
                        ErrorCode::UnsortedDates,
                        format!("{path}.validity.until"),
                        format!("ends ({u}) before it starts ({})", v.from),
                    );
                }
            }
            if v.review < v.from {
                self.err(
                    ErrorCode::UnsortedDates,
                    format!("{path}.validity.review"),
                    format!(
                        "the review date ({}) is before the rules start ({})",
                        v.review, v.from
                    ),
                );
            }
        }
    }

    /// Statutory values that compute must rest on a source better than grade D (a
    /// programme's values are its operator's own terms, whatever page reports them).
    pub(super) fn edition_grade(&mut self, e: &Effective, path: &str) {
        let grades: Vec<Grade> = e
            .cited()
            .filter_map(|id| self.pack.sources.get(id))
            .map(|s| s.grade)
            .collect();
        if !grades.is_empty() && grades.iter().all(|g| *g == Grade::D) {
            self.err(
                ErrorCode::WeakSource,
                format!("{path}.sources"),
                "these values rest on grade D sources alone: add a second source of grade C or better that agrees, or declare the values as a blocking gap",
            );
        }
    }

    pub(super) fn effective(&mut self, e: &Effective, path: &str) {
        for (name, n) in [
            ("sources", e.sources.len()),
            ("provenance", e.provenance.len()),
            ("gaps", e.gaps.len()),
        ] {
            self.rules(n, || format!("{path}.{name}"));
        }
        if e.sources.is_empty() {
            self.err(
                ErrorCode::MissingSource,
                format!("{path}.sources"),
                "every edition must cite at least one source",
            );
        }
        for (i, s) in e.sources.iter().enumerate() {
            self.source(s, format!("{path}.sources[{i}]"));
        }
        if let Some(u) = e.until {
            if u < e.from {
                self.err(
                    ErrorCode::UnsortedDates,
                    format!("{path}.until"),
                    format!("ends ({u}) before it starts ({})", e.from),
                );
            }
        }
        for (i, p) in e.provenance.iter().enumerate() {
            if let Some(s) = &p.source {
                self.source(s, format!("{path}.provenance[{i}].source"));
            }
            if !p.field.starts_with('/') {
                self.err(
                    ErrorCode::InvalidValue,
                    format!("{path}.provenance[{i}].field"),
                    "a field is a JSON pointer inside the edition, starting with /",
                );
            }
        }
    }

    pub(super) fn dates(&mut self, eds: &[&Effective], path: &str, what: &str) {
        for i in 1..eds.len() {
            let (a, b) = (eds[i - 1], eds[i]);
            if b.from <= a.from {
                self.err(
                    ErrorCode::UnsortedDates,
                    format!("{path}[{i}].from"),
                    format!(
                        "{what} must be in date order: {} is not after {}",
                        b.from, a.from
                    ),
                );
            } else if a.until.is_none_or(|u| u >= b.from) {
                self.err(
                    ErrorCode::OverlappingDates,
                    format!("{path}[{}].until", i - 1),
                    format!(
                        "{what} overlap: the one from {} must end before {} (set its `until`)",
                        a.from, b.from
                    ),
                );
            }
        }
    }
}

/// Whether a URL names a site's front page rather than a page (`https://www.gov.cn`,
/// `https://www.gov.cn/`).
fn is_site_root(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.split_once('/') {
        None => true,
        Some((_, path)) => path.trim_matches('/').is_empty(),
    }
}

/// Whether a URL's host is a government one (`*.gov.cn`).
fn is_government_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    host == "gov.cn" || host.ends_with(".gov.cn")
}

#[cfg(test)]
mod grade_tests {
    use super::*;

    #[test]
    fn site_roots_and_government_hosts() {
        assert!(is_site_root("https://english.www.gov.cn"));
        assert!(is_site_root("https://www.gov.cn/"));
        assert!(!is_site_root(
            "https://www.gov.cn/zhengce/content/2021-11/19/content_5651446.htm"
        ));
        assert!(is_government_host("https://ybj.sh.gov.cn/x.html"));
        assert!(is_government_host("http://gov.cn/a"));
        assert!(!is_government_host("https://notgov.cn/a"));
        assert!(!is_government_host("https://www.gov.cn.example.com/a"));
    }
}
