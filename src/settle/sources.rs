//! Where every figure comes from: the sources an edition cites (`effective.sources`), the
//! source of one parameter (`effective.provenance`, matched on the parameter's pointer), and
//! the warnings a settlement gathers on the way (DESIGN.md principles 3 and 4).

use crate::results::estimate::{Pointer, Warning};
use crate::rules::policy::{Effective, Pack, Text};

use super::state::BenefitCtx;
use super::Settler;

impl Settler<'_> {
    /// Adds a warning, once.
    pub(super) fn warn(&mut self, code: &str, message: Text, path: Option<String>) {
        let w = Warning {
            code: code.to_string(),
            message,
            path,
        };
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// The source keys of an edition, built once per estimate.
    pub(super) fn cite_edition(&mut self, pack: &Pack, e: &Effective) -> std::sync::Arc<[String]> {
        let key = e as *const Effective;
        if let Some(v) = self.cited.get(&key) {
            return v.clone();
        }
        let v: std::sync::Arc<[String]> = e.sources.iter().map(|id| self.cite(pack, id)).collect();
        self.cited.insert(key, v.clone());
        v
    }

    /// The key of a pack's source (`pack/source`), the source recorded for the result.
    fn cite(&mut self, pack: &Pack, id: &str) -> String {
        let key = format!("{}/{}", pack.id, id);
        if !self.sources.contains_key(&key) {
            if let Some(s) = pack.sources.get(id) {
                self.sources.insert(key.clone(), s.clone());
            }
        }
        key
    }

    /// The provenance entry for a parameter: the most specific one whose field is the
    /// pointer, contains it, or lies inside it (matching whole path segments).
    pub(super) fn provenance(
        &mut self,
        ctx: &BenefitCtx,
        pointer: Pointer,
    ) -> (Option<String>, Option<String>) {
        let entries = &ctx.edition.effective.provenance;
        if entries.is_empty() {
            return (None, None);
        }
        let pointer = pointer.to_string();
        let within = |outer: &str, inner: &str| {
            inner == outer
                || (inner.starts_with(outer) && inner.as_bytes().get(outer.len()) == Some(&b'/'))
        };
        let best = entries
            .iter()
            .filter(|p| within(&p.field, &pointer) || within(&pointer, &p.field))
            .max_by_key(|p| p.field.len());
        match best {
            Some(p) => {
                let source = p.source.as_ref().map(|s| self.cite(ctx.lr.pack, s));
                (source, p.note.clone())
            }
            None => (None, None),
        }
    }
}
