//! Packs and programmes registered once and then named by id, as built-in ones are.
//!
//! A case may carry its pack inline (`inlinePack`, a programme's `inline`): then it is read,
//! its inheritance resolved and validated on every estimate. A page or a batch that settles
//! many cases against the same pack registers it once instead: [`Registered::register_json`]
//! reads, resolves and validates it, and every later case names it by its `id` (`pack`, or a
//! programme's `id`) at no further cost. A registered id never shadows a built-in pack, and
//! registering an id again replaces the earlier pack (a charity editing its programme).

use crate::error::{Error, ErrorCode};
use crate::reading::limits::check_size;
use crate::reading::read::read_str;
use crate::rules::catalog::Catalog;
use crate::rules::policy::Pack;

/// The packs registered so far, resolved and validated.
#[derive(Default)]
pub struct Registered {
    packs: Vec<Pack>,
}

impl Registered {
    /// Reads, resolves (its `extends`, against `catalog`) and validates a pack or programme
    /// given as JSON text, and keeps it under its id. The errors are those an inline pack
    /// gets, at paths in the registered document (`$.layers[0]…`).
    pub fn register_json(&mut self, text: &str, catalog: &Catalog) -> Result<&Pack, Error> {
        check_size(text)?;
        let pack: Pack = read_str(text)?;
        if catalog.get(&pack.id).is_some() {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                "$.id",
                format!(
                    "a built-in pack is called \"{}\": give the registered pack an id of its own",
                    pack.id
                ),
            ));
        }
        let pack = catalog.resolve_inline(pack)?;
        let i = match self.packs.iter().position(|p| p.id == pack.id) {
            Some(i) => {
                self.packs[i] = pack;
                i
            }
            None => {
                self.packs.push(pack);
                self.packs.len() - 1
            }
        };
        Ok(&self.packs[i])
    }

    /// The registered pack called `id`.
    pub fn get(&self, id: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.id == id)
    }

    /// Forgets the pack called `id`; whether there was one.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.packs.len();
        self.packs.retain(|p| p.id != id);
        self.packs.len() != before
    }

    /// The registered packs, in the order they were first registered.
    pub fn packs(&self) -> impl Iterator<Item = &Pack> {
        self.packs.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"{"id": "my-region", "kind": "region", "name": {"zh": "示例", "en": "Demo"},
      "version": "1", "rulesAsOf": "2025-01-01",
      "sources": {"S1": {"title": "Demo rules", "grade": "D"}},
      "schemes": [{"id": "resident", "name": {"zh": "居民", "en": "Resident"},
                   "groups": [{"id": "adult", "name": {"zh": "成人", "en": "Adult"}}]}],
      "layers": [{"id": "basic", "kind": "basic", "name": {"zh": "基本医保", "en": "Basic"},
        "editions": [{"from": "2025-01-01", "sources": ["S1"],
          "benefits": [{"id": "inpatient", "base": {"buckets": {"inScope": "1"}},
            "deductible": {"amount": "1000", "per": "year"}, "rate": {"flat": "0.7"}}]}]}]}"#;

    #[test]
    fn registers_replaces_and_forgets() {
        let catalog = Catalog::embedded();
        let mut r = Registered::default();
        assert_eq!(r.register_json(PACK, catalog).unwrap().version, "1");
        let again = PACK.replace(r#""version": "1""#, r#""version": "2""#);
        assert_eq!(r.register_json(&again, catalog).unwrap().version, "2");
        assert_eq!(r.packs().count(), 1, "the same id replaces");
        assert!(r.remove("my-region"));
        assert!(r.get("my-region").is_none());
        assert!(!r.remove("my-region"));
    }

    #[test]
    fn refuses_an_invalid_pack_and_a_built_in_id() {
        let catalog = Catalog::embedded();
        let mut r = Registered::default();
        let bad = PACK.replace(r#""sources": ["S1"]"#, r#""sources": ["S9"]"#);
        let e = r.register_json(&bad, catalog).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidPack);
        let built_in = catalog.packs().next().expect("an embedded pack").id.clone();
        let shadow = PACK.replace("my-region", &built_in);
        let e = r.register_json(&shadow, catalog).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (ErrorCode::DuplicateId, "$.id"));
        assert_eq!(r.packs().count(), 0, "nothing is kept from a refused pack");
    }
}
