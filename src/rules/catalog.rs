//! The catalogue of packs and programmes: the embedded defaults, inheritance, and the
//! documents a case carries inline.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::error::{Error, ErrorCode};
use crate::reading::read::read_str;
use crate::rules::policy::*;
use crate::units::date::Date;
use crate::validate::{validate_pack, Strictness};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The JSON documents embedded at build time: `(path, text)`.
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

/// The fingerprint of [`EMBEDDED`] (FNV-1a of every path and text, written by build.rs;
/// [`crate::build_check::digest`] computes the same): what [`crate::embedded_validated!`]
/// compares, at compile time, with the fingerprints an artefact's build script validated.
pub const EMBEDDED_DIGEST: u64 = include!(concat!(env!("OUT_DIR"), "/embedded_digest.rs"));

/// `(id, version, extends, position in EMBEDDED)` of each embedded document, sorted by id
/// (written by build.rs).
const INDEX: &[(&str, &str, Option<&str>, usize)] =
    include!(concat!(env!("OUT_DIR"), "/embedded_index.rs"));

/// Packs and programmes by id, with inheritance resolved.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    packs: BTreeMap<String, Pack>,
    problems: Vec<Error>,
    /// The embedded catalogue loads each document when it is first asked for.
    lazy: Option<Lazy>,
}

/// The embedded documents, each parsed and resolved on first use (and validated, unless the
/// artefact's build script did: `Catalog::resolve_prevalidated`): an estimate that names one
/// region pays for that pack and its base, not for all of them.
#[derive(Clone, Debug)]
struct Lazy {
    slots: Vec<OnceLock<Option<Pack>>>,
    problems: OnceLock<Vec<Error>>,
}

/// A pack as the page and CLI list it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PackSummary {
    /// Id.
    pub id: String,
    /// Region, national or programme.
    pub kind: PackKind,
    /// Name.
    pub name: Text,
    /// Data version.
    pub version: String,
    /// Rules checked as of.
    pub rules_as_of: Date,
    /// The pack it extends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Schemes covered, with their groups.
    pub schemes: Vec<Scheme>,
    /// Hospital levels.
    pub levels: Vec<Level>,
    /// Assistance categories.
    pub categories: Vec<Named>,
    /// Layers in settlement order.
    pub layers: Vec<LayerSummary>,
    /// The weakest grade of any source the pack cites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lowest_grade: Option<Grade>,
    /// The earliest date any rule is in effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covers_from: Option<Date>,
    /// What no source gives (the pack's declared gaps).
    pub missing: Vec<Text>,
    /// Whether the pack has a typical 甲/乙/丙 split for quick totals.
    pub has_typical_split: bool,
    /// Who entered the rules by hand, when an organisation did (the rules editor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
}

/// A layer as listed.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LayerSummary {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: LayerKind,
    /// Name.
    pub name: Text,
    /// Schemes it concerns (empty: all).
    pub schemes: Vec<String>,
    /// Whether one must enrol (a product).
    pub enrol: bool,
    /// Premium, if a product.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub premium: Option<crate::units::money::Money>,
}

impl Catalog {
    /// The embedded default catalogue, parsed once. Embedded documents that fail to load are
    /// left out and reported by [`Catalog::problems`] (the test suite keeps that list empty).
    ///
    /// Each document is read when first needed (by [`Catalog::get`], or by every pack for
    /// [`Catalog::packs`]); the result is the same as loading them all at once.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(Catalog::lazy_embedded)
    }

    /// A catalogue of the embedded documents that loads none of them yet.
    fn lazy_embedded() -> Catalog {
        Catalog {
            lazy: Some(Lazy {
                slots: INDEX.iter().map(|_| OnceLock::new()).collect(),
                problems: OnceLock::new(),
            }),
            ..Catalog::default()
        }
    }

    /// `(id, version)` of every pack, by id, without loading the embedded ones.
    pub(crate) fn versions(&self) -> Vec<(&str, &str)> {
        match &self.lazy {
            Some(_) => INDEX.iter().map(|(id, v, _, _)| (*id, *v)).collect(),
            None => self
                .packs
                .values()
                .map(|p| (p.id.as_str(), p.version.as_str()))
                .collect(),
        }
    }

    /// Loads the embedded document at `pos` in [`INDEX`]: `None` if it does not load (the
    /// same documents [`Catalog::from_documents`] would leave out).
    fn load(&self, pos: usize) -> Option<Pack> {
        // A chain of `extends` that comes back on itself loads nothing (and must not reach
        // a slot that is being initialised).
        let mut chain = vec![pos];
        let mut at = pos;
        while let Some(base) = INDEX.get(at).and_then(|row| row.2) {
            match INDEX.binary_search_by(|row| row.0.cmp(base)) {
                Ok(b) if chain.contains(&b) => return None,
                Ok(b) => {
                    chain.push(b);
                    at = b;
                }
                Err(_) => return None,
            }
        }
        let (_, text) = EMBEDDED.get(INDEX.get(pos)?.3)?;
        let pack = read_str::<Pack>(text).ok()?;
        #[cfg(feature = "embedded-prevalidated")]
        let pack = self.resolve_prevalidated(pack);
        #[cfg(not(feature = "embedded-prevalidated"))]
        let pack = self.resolve(pack);
        pack.ok()
    }

    /// Every problem of `(name, json)` documents loaded as one catalogue: each must read as a
    /// pack or programme, find the pack it extends and pass the validator with the published
    /// rules. The embedded documents pass it at build time (`build_check`, in the build
    /// scripts of wasm/ and cli/) and in the test suite ([`Catalog::problems`]).
    pub fn check_documents(docs: &[(&str, &str)]) -> Vec<Error> {
        Catalog::from_documents(docs).problems
    }

    /// A catalogue from `(name, json)` documents; problems are collected, not fatal.
    pub fn from_documents(docs: &[(&str, &str)]) -> Catalog {
        let mut raw = Vec::new();
        let mut problems = Vec::new();
        for (name, text) in docs {
            match read_str::<Pack>(text) {
                Ok(p) => raw.push(p),
                Err(e) => problems.push(e.under(&format!("{name}:$"))),
            }
        }
        let mut cat = Catalog {
            packs: BTreeMap::new(),
            problems,
            lazy: None,
        };
        // Bases first: a pack may extend only one that does not itself extend another
        // unresolved pack; loop until nothing changes.
        let mut pending = raw;
        loop {
            let before = pending.len();
            let mut rest = Vec::new();
            for p in pending {
                match &p.extends {
                    Some(base) if !cat.packs.contains_key(base) => rest.push(p),
                    _ => {
                        let id = p.id.clone();
                        match cat.resolve(p) {
                            Ok(r) => {
                                cat.packs.insert(id, r);
                            }
                            Err(e) => cat.problems.push(e.under(&format!("{id}:$"))),
                        }
                    }
                }
            }
            pending = rest;
            if pending.is_empty() || pending.len() == before {
                break;
            }
        }
        for p in pending {
            cat.problems.push(Error::new(
                ErrorCode::UnknownPack,
                format!("{}:$.extends", p.id),
                format!(
                    "pack \"{}\" extends \"{}\", which is not in the catalogue",
                    p.id,
                    p.extends.unwrap_or_default()
                ),
            ));
        }
        cat
    }

    /// Problems met while loading (for the embedded catalogue: loading every document).
    pub fn problems(&self) -> &[Error] {
        match &self.lazy {
            Some(lazy) => lazy
                .problems
                .get_or_init(|| Catalog::check_documents(EMBEDDED)),
            None => &self.problems,
        }
    }

    /// A pack by id.
    pub fn get(&self, id: &str) -> Option<&Pack> {
        match &self.lazy {
            Some(lazy) => {
                let pos = INDEX.binary_search_by(|row| row.0.cmp(id)).ok()?;
                lazy.slots.get(pos)?.get_or_init(|| self.load(pos)).as_ref()
            }
            None => self.packs.get(id),
        }
    }

    /// A resolved pack's own sources: those it does not inherit unchanged from the pack it
    /// extends (the rollover checklist lists a source once; an estimate names the documents
    /// an organisation entered).
    pub fn own_sources<'p>(
        &'p self,
        pack: &'p Pack,
    ) -> impl Iterator<Item = (&'p String, &'p Source)> {
        let base = pack.extends.as_deref().and_then(|b| self.get(b));
        pack.sources
            .iter()
            .filter(move |(id, s)| base.is_none_or(|b| b.sources.get(*id) != Some(*s)))
    }

    /// Every pack, by id.
    pub fn packs(&self) -> impl Iterator<Item = &Pack> {
        let packs: Vec<&Pack> = match &self.lazy {
            Some(_) => INDEX.iter().filter_map(|row| self.get(row.0)).collect(),
            None => self.packs.values().collect(),
        };
        packs.into_iter()
    }

    /// Resolves inheritance and validates; the result is ready to settle with.
    pub fn resolve(&self, pack: Pack) -> Result<Pack, Error> {
        self.resolve_with(pack, Strictness::Published)
    }

    /// Resolves a pack a case carries inline. The grade policy's rule that statutory
    /// values never rest on grade D alone governs published packs (the built-in data,
    /// `tiercost validate`, the rules editor); an inline pack may be an illustration.
    pub fn resolve_inline(&self, pack: Pack) -> Result<Pack, Error> {
        self.resolve_with(pack, Strictness::Inline)
    }

    /// Resolves the inheritance of an embedded document ([`EMBEDDED`], and nothing else)
    /// without validating the result again: the cold start of the browser's first estimate
    /// no longer pays for the validator on data that cannot have changed since it was built.
    ///
    /// Only with the feature `embedded-prevalidated`, which only the crates that ship the data
    /// turn on — `tiercost-wasm` (wasm/) and `tiercost-cli` (cli/). Their build scripts run
    /// `tiercost::build_check::run` (the core as a build-dependency), which validates every
    /// form build.rs can embed the documents in with [`Catalog::check_documents`] and fails
    /// the build with each problem's code, path and message; and they expand
    /// [`crate::embedded_validated!`], a compile-time assertion that the fingerprint of this
    /// [`EMBEDDED`] is one of those validated (so a feature set that differs between the
    /// build script's copy of the core and this one cannot slip through). A feature rather
    /// than a cfg the build script sets, because the build script of wasm/ or cli/ can only
    /// set cfgs for its own crate, not for the core, where this decision is made. Cargo
    /// unifies features within one build, so a crate built alongside wasm/ or cli/ may get
    /// it too (the core's unit tests under `cargo test --workspace`): in a build whose build
    /// scripts validated the same files.
    ///
    /// Without the feature — a native library user, the Python package, the fuzz targets,
    /// `cargo test -p tiercost` — embedded documents are validated when first loaded, as
    /// before; either way the core's own tests validate every embedded document
    /// (`tests/policy_data.rs`, through [`Catalog::problems`]). Packs a case carries inline
    /// and registered packs are always validated ([`Catalog::resolve_inline`],
    /// [`Catalog::resolve`]).
    #[cfg(feature = "embedded-prevalidated")]
    fn resolve_prevalidated(&self, pack: Pack) -> Result<Pack, Error> {
        self.merged(pack)
    }

    /// The pack over the one it extends, if any (not validated).
    fn merged(&self, pack: Pack) -> Result<Pack, Error> {
        match &pack.extends {
            None => Ok(pack),
            Some(base_id) => {
                let Some(base) = self.get(base_id) else {
                    return Err(Error::new(
                        ErrorCode::UnknownPack,
                        "$.extends",
                        format!("pack \"{base_id}\" is not in the catalogue"),
                    ));
                };
                merge(base, pack)
            }
        }
    }

    fn resolve_with(&self, pack: Pack, strictness: Strictness) -> Result<Pack, Error> {
        let merged = self.merged(pack)?;
        let problems = validate_pack(&merged, strictness);
        if problems.is_empty() {
            Ok(merged)
        } else {
            Err(Error::gather(
                ErrorCode::InvalidPack,
                &format!("pack \"{}\"", merged.id),
                problems,
            ))
        }
    }

    /// Summaries of every pack, for the page and the CLI.
    pub fn summaries(&self) -> Vec<PackSummary> {
        self.packs().map(summarize).collect()
    }

    /// The summary of one resolved pack.
    pub fn summaries_of(&self, pack: &Pack) -> PackSummary {
        summarize(pack)
    }
}

fn merge_named<T: Clone>(base: &[T], own: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
    let mut out: Vec<T> = base.to_vec();
    for item in own {
        match out.iter().position(|b| id(b) == id(&item)) {
            Some(i) => out[i] = item,
            None => out.push(item),
        }
    }
    out
}

/// A regional pack over its base: same-id schemes, levels, categories and layers replace the
/// base's; sources are united (the same id must mean the same source).
fn merge(base: &Pack, own: Pack) -> Result<Pack, Error> {
    let mut sources = base.sources.clone();
    for (k, s) in own.sources {
        if let Some(b) = sources.get(&k) {
            if *b != s {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("$.sources.{k}"),
                    format!("source id \"{k}\" is also used by \"{}\" for another document: choose another id", base.id),
                ));
            }
        }
        sources.insert(k, s);
    }
    let order = if own.order.is_empty() && !base.order.is_empty() {
        let mut o = base.order.clone();
        for l in &own.layers {
            if !o.contains(&l.id) {
                o.push(l.id.clone());
            }
        }
        o
    } else {
        own.order
    };
    Ok(Pack {
        id: own.id,
        kind: own.kind,
        name: own.name,
        version: own.version,
        rules_as_of: own.rules_as_of,
        extends: own.extends,
        year_start: own.year_start,
        entered_by: own.entered_by,
        rounding: own.rounding,
        sources,
        schemes: merge_named(&base.schemes, own.schemes, |s| &s.id),
        levels: merge_named(&base.levels, own.levels, |l| &l.id),
        regions: own.regions,
        categories: merge_named(&base.categories, own.categories, |c| &c.id),
        certification: own.certification.or_else(|| base.certification.clone()),
        general: if own.general.is_empty() {
            base.general.clone()
        } else {
            own.general
        },
        layers: merge_named(&base.layers, own.layers, |l| &l.id),
        order,
        notes: own.notes,
    })
}

/// The layers of a pack in its settlement order.
pub(crate) fn ordered_layers(p: &Pack) -> Vec<&Layer> {
    let mut v: Vec<&Layer> = p
        .order
        .iter()
        .filter_map(|id| p.layers.iter().find(|l| l.id == *id))
        .collect();
    for l in &p.layers {
        if !p.order.contains(&l.id) {
            v.push(l);
        }
    }
    v
}

/// The lowest grade among the sources behind values that compute (editions with benefits,
/// donations or region-wide parameters): a grade D lead cited only by a declared gap does
/// not make the pack's numbers grade D.
fn lowest_grade_computed(p: &Pack) -> Option<crate::rules::policy::Grade> {
    let computing = p
        .layers
        .iter()
        .flat_map(|l| l.editions.iter())
        .filter(|e| !e.benefits.is_empty() || e.donation.is_some())
        .map(|e| &e.effective)
        .chain(p.general.iter().map(|g| &g.effective));
    computing
        .flat_map(Effective::cited)
        .filter_map(|id| p.sources.get(id))
        .map(|s| s.grade)
        .max()
}

fn summarize(p: &Pack) -> PackSummary {
    let mut missing = Vec::new();
    for l in &p.layers {
        for e in &l.editions {
            for g in &e.effective.gaps {
                if !missing.contains(&g.what) {
                    missing.push(g.what.clone());
                }
            }
        }
    }
    PackSummary {
        id: p.id.clone(),
        kind: p.kind,
        name: p.name.clone(),
        version: p.version.clone(),
        rules_as_of: p.rules_as_of,
        extends: p.extends.clone(),
        schemes: p.schemes.clone(),
        levels: p.levels.clone(),
        categories: p.categories.clone(),
        layers: ordered_layers(p)
            .into_iter()
            .map(|l| LayerSummary {
                id: l.id.clone(),
                kind: l.kind,
                name: l.name.clone(),
                schemes: l.schemes.clone(),
                enrol: l.enrolment.is_some(),
                premium: l.enrolment.as_ref().and_then(|e| e.premium),
            })
            .collect(),
        lowest_grade: lowest_grade_computed(p),
        covers_from: p
            .layers
            .iter()
            .flat_map(|l| l.editions.iter().map(|e| e.effective.from))
            .min(),
        missing,
        has_typical_split: p.general.iter().any(|g| g.typical_split.is_some()),
        entered_by: p.entered_by.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lazily loaded embedded catalogue holds exactly what loading every document at
    /// once gives, whichever pack is asked for first.
    #[test]
    fn lazy_embedded_catalogue_equals_eager_loading() {
        let eager = Catalog::from_documents(EMBEDDED);
        assert!(eager.problems().is_empty(), "{:?}", eager.problems());
        // A fresh lazy catalogue (not the shared one), asked for a pack that extends another
        // before its base.
        let lazy = Catalog::lazy_embedded();
        let derived = eager
            .packs()
            .find(|p| p.extends.is_some())
            .expect("an embedded pack extends another");
        assert_eq!(lazy.get(&derived.id), Some(derived));
        assert_eq!(lazy.get("no-such-pack"), None);
        let ids = |c: &Catalog| c.packs().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&lazy), ids(&eager));
        for p in eager.packs() {
            assert_eq!(lazy.get(&p.id), Some(p), "{}", p.id);
        }
        assert_eq!(lazy.versions(), eager.versions());
        assert_eq!(
            serde_json::to_string(&lazy.summaries()).unwrap(),
            serde_json::to_string(&eager.summaries()).unwrap()
        );
        assert!(lazy.problems().is_empty());
        assert_eq!(
            INDEX.len(),
            EMBEDDED.len(),
            "every embedded document is indexed"
        );
    }
}
