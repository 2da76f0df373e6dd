//! The catalogue of packs and programmes: the embedded defaults, inheritance, and the
//! documents a case carries inline.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::date::Date;
use crate::error::{from_json_str, Error, ErrorCode};
use crate::policy::*;
use crate::validate::validate_pack;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The JSON documents embedded at build time: `(path, text)`.
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

/// Packs and programmes by id, with inheritance resolved.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    packs: BTreeMap<String, Pack>,
    problems: Vec<Error>,
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
    pub premium: Option<crate::money::Money>,
}

impl Catalog {
    /// The embedded default catalogue, parsed once. Embedded documents that fail to load are
    /// left out and reported by [`Catalog::problems`] (the test suite keeps that list empty).
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::from_documents(EMBEDDED))
    }

    /// A catalogue from `(name, json)` documents; problems are collected, not fatal.
    pub fn from_documents(docs: &[(&str, &str)]) -> Catalog {
        let mut raw = Vec::new();
        let mut problems = Vec::new();
        for (name, text) in docs {
            match from_json_str::<Pack>(text) {
                Ok(p) => raw.push(p),
                Err(e) => problems.push(e.under(&format!("{name}:$"))),
            }
        }
        let mut cat = Catalog {
            packs: BTreeMap::new(),
            problems,
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

    /// Problems met while loading.
    pub fn problems(&self) -> &[Error] {
        &self.problems
    }

    /// A pack by id.
    pub fn get(&self, id: &str) -> Option<&Pack> {
        self.packs.get(id)
    }

    /// Every pack, by id.
    pub fn packs(&self) -> impl Iterator<Item = &Pack> {
        self.packs.values()
    }

    /// Resolves inheritance and validates; the result is ready to settle with.
    pub fn resolve(&self, pack: Pack) -> Result<Pack, Error> {
        let merged = match &pack.extends {
            None => pack,
            Some(base_id) => {
                let Some(base) = self.packs.get(base_id) else {
                    return Err(Error::new(
                        ErrorCode::UnknownPack,
                        "$.extends",
                        format!("pack \"{base_id}\" is not in the catalogue"),
                    ));
                };
                merge(base, pack)?
            }
        };
        let problems = validate_pack(&merged);
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
        self.packs.values().map(summarize).collect()
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
        sources,
        schemes: merge_named(&base.schemes, own.schemes, |s| &s.id),
        levels: merge_named(&base.levels, own.levels, |l| &l.id),
        categories: merge_named(&base.categories, own.categories, |c| &c.id),
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
        lowest_grade: p.sources.values().map(|s| s.grade).max(),
        covers_from: p
            .layers
            .iter()
            .flat_map(|l| l.editions.iter().map(|e| e.effective.from))
            .min(),
        missing,
        has_typical_split: p.general.iter().any(|g| g.typical_split.is_some()),
    }
}
