//! The entry points: resolve the packs a case names, check the case against them, settle.

use crate::case::Case;
use crate::catalog::{ordered_layers, Catalog};
use crate::error::{Error, ErrorCode};
use crate::estimate::{Estimate, ShareRange, Undecided};
use crate::money::Money;
use crate::policy::{LayerKind, Pack, PackKind};
use crate::read::read_str;
use crate::settle::{LayerRef, Settler};

/// Limits on input size. Each has its own error code, and its message says the limit and
/// the size found, at the JSON path of the offending list (docs/FORMATS.md lists them).
pub mod limits {
    /// Largest JSON document accepted, in bytes (`too_large`).
    pub const MAX_BYTES: usize = 4 * 1024 * 1024;
    /// Deepest nesting of arrays and objects in a document (`too_deep`). The deepest valid
    /// case nests about a dozen levels.
    pub const MAX_DEPTH: usize = 64;
    /// Most encounters in one case (`too_many_encounters`).
    pub const MAX_ENCOUNTERS: usize = 1_000;
    /// Most items in one encounter (`too_many_items`).
    pub const MAX_ITEMS_PER_ENCOUNTER: usize = 2_000;
    /// Most items in one case (`too_many_items`).
    pub const MAX_ITEMS: usize = 20_000;
    /// Most programmes in one case (`too_many_programmes`).
    pub const MAX_PROGRAMMES: usize = 50;
    /// Longest list of names in a case: the member's or an encounter's diagnoses, the
    /// enrolments, the layer order (`too_many_names`).
    pub const MAX_NAMES: usize = 100;
    /// Longest list in a pack or programme: schemes, levels, categories, layers, editions,
    /// benefits, bands, caps, adjustments, condition rows and names, codes, donation rounds
    /// (`too_many_rules`).
    pub const MAX_RULES: usize = 1_000;
    /// Most entries in all the lists of one pack or programme together (`too_many_rules`):
    /// this bounds the work each item costs. The largest embedded pack holds a few hundred.
    pub const MAX_RULES_TOTAL: usize = 10_000;
}

fn too_large(text: &str) -> Result<(), Error> {
    if text.len() > limits::MAX_BYTES {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "$",
            format!(
                "the document is {} bytes; the limit is {} bytes",
                text.len(),
                limits::MAX_BYTES
            ),
        ));
    }
    Ok(())
}

/// Refuses nesting deeper than [`limits::MAX_DEPTH`], naming where it first goes too deep
/// and how deep the document goes. One pass over the bytes, before anything is parsed.
fn too_deep(text: &str) -> Result<(), Error> {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut first) = (0usize, 0usize, None);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if depth > limits::MAX_DEPTH && first.is_none() {
                        first = Some(i);
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    match first {
        None => Ok(()),
        Some(at) => Err(Error::new(
            ErrorCode::TooDeep,
            crate::error::json_path_at_offset(text, at),
            format!(
                "the document nests {deepest} levels deep; the limit is {} levels",
                limits::MAX_DEPTH
            ),
        )),
    }
}

/// The checks every document gets before it is parsed: its size and its nesting depth.
pub(crate) fn check_size(text: &str) -> Result<(), Error> {
    too_large(text)?;
    too_deep(text)
}

/// Estimates a case given as JSON text, with the embedded catalogue.
///
/// ```
/// let case = r#"{
///   "inlinePack": {
///     "id": "demo", "kind": "region", "name": {"zh": "示例", "en": "Demo"},
///     "version": "1", "rulesAsOf": "2025-01-01",
///     "sources": {"S1": {"title": "Demo rules", "grade": "D"}},
///     "schemes": [{"id": "resident", "name": {"zh": "居民", "en": "Resident"},
///                  "groups": [{"id": "adult", "name": {"zh": "成人", "en": "Adult"}}]}],
///     "layers": [{"id": "basic", "kind": "basic", "name": {"zh": "基本医保", "en": "Basic"},
///       "editions": [{"from": "2025-01-01", "sources": ["S1"],
///         "benefits": [{"id": "inpatient", "base": {"buckets": {"inScope": "1"}},
///           "deductible": {"amount": "1000", "per": "year"},
///           "rate": {"flat": "0.7"}}]}]}]
///   },
///   "member": {"scheme": "resident", "group": "adult"},
///   "encounters": [{"date": "2025-03-01", "setting": "inpatient",
///                   "items": [{"amount": "11000", "class": "a"}]}]
/// }"#;
/// let e = tiercost::estimate_json(case).unwrap();
/// assert_eq!(e.covered.to_string(), "7000.00");   // (11,000 − 1,000) × 70%
/// assert_eq!(e.patient.total.to_string(), "4000.00");
/// ```
pub fn estimate_json(case_json: &str) -> Result<Estimate, Error> {
    check_size(case_json)?;
    let case: Case = read_str(case_json)?;
    estimate(&case, Catalog::embedded())
}

/// Estimates a parsed case against a catalogue.
pub fn estimate(case: &Case, catalog: &Catalog) -> Result<Estimate, Error> {
    check_limits(case)?;
    Packs::resolve(case, catalog)?.settle(case)
}

/// The packs a case names (its regional pack, built in or inline, and its programmes),
/// resolved and validated once, to settle many cases against: [`estimate`] is
/// `Packs::resolve(case, catalog)?.estimate(case)`, and `tiercost batch` resolves its
/// template's packs once and settles every row with them.
pub struct Packs<'c> {
    region: std::borrow::Cow<'c, Pack>,
    programmes: Vec<(std::borrow::Cow<'c, Pack>, Option<crate::date::Date>, usize)>,
    catalog: &'c Catalog,
}

impl<'c> Packs<'c> {
    /// Resolves the packs `case` names (`pack` or `inlinePack`, and `programmes`) in
    /// `catalog`; the errors are those [`estimate`] gives, at the same paths.
    pub fn resolve(case: &Case, catalog: &'c Catalog) -> Result<Packs<'c>, Error> {
        resolve_packs(case, catalog)
    }

    /// The regional pack, resolved.
    pub fn region(&self) -> &Pack {
        &self.region
    }

    /// Every layer these packs can settle, in their settlement order (donation programmes
    /// first, then the region's layers, then each programme's): a case's `layerOrder` and
    /// the member's scheme may reorder or leave out some.
    pub fn layers(&self) -> Vec<&crate::policy::Layer> {
        let mut all = ordered_layers(&self.region);
        for (pack, _, _) in &self.programmes {
            all.extend(ordered_layers(pack));
        }
        all.sort_by_key(|l| l.kind != LayerKind::Donation);
        all
    }

    /// Estimates `case` with these packs, as [`estimate`] does (the limits, then the case
    /// against the packs, then the settlement). The case's own `pack`, `inlinePack` and
    /// `programmes` are not read: these packs stand for them.
    pub fn estimate(&self, case: &Case) -> Result<Estimate, Error> {
        check_limits(case)?;
        self.settle(case)
    }

    fn settle(&self, case: &Case) -> Result<Estimate, Error> {
        let (region, catalog) = (&self.region, self.catalog);
        check_case(case, region)?;
        let mut layers: Vec<LayerRef> = ordered_layers(region)
            .into_iter()
            .map(|layer| LayerRef {
                layer,
                pack: region,
                since: None,
                programme_path: None,
            })
            .collect();
        for (pack, since, i) in &self.programmes {
            for layer in ordered_layers(pack) {
                layers.push(LayerRef {
                    layer,
                    pack,
                    since: *since,
                    programme_path: Some(*i),
                });
            }
        }
        order_layers(case, region, layers, catalog)
    }
}

fn resolve_packs<'c>(case: &Case, catalog: &'c Catalog) -> Result<Packs<'c>, Error> {
    if case.inline_pack.is_some() && case.pack.is_some() {
        return Err(Error::new(
            ErrorCode::Inconsistent,
            "$.pack",
            "give either `pack` (a built-in pack's id) or `inlinePack`, not both: the inline pack would be used and `pack` ignored",
        ));
    }
    let region: std::borrow::Cow<Pack> = match (&case.inline_pack, &case.pack) {
        (Some(p), _) => std::borrow::Cow::Owned(
            catalog
                .resolve_inline((**p).clone())
                .map_err(|e| e.under("$.inlinePack"))?,
        ),
        (None, Some(id)) => match catalog.get(id) {
            Some(p) if p.kind != PackKind::Programme => std::borrow::Cow::Borrowed(p),
            Some(_) => {
                return Err(Error::new(
                    ErrorCode::UnknownPack,
                    "$.pack",
                    format!(
                        "\"{id}\" is a programme, not a regional pack: list it under `programmes`"
                    ),
                ))
            }
            None => {
                return Err(Error::new(
                    ErrorCode::UnknownPack,
                    "$.pack",
                    format!(
                        "no built-in pack is called \"{id}\"; {}",
                        known(catalog, false)
                    ),
                ))
            }
        },
        (None, None) => {
            return Err(Error::new(
                ErrorCode::MissingField,
                "$.pack",
                "name a built-in pack (`pack`) or give one inline (`inlinePack`)",
            ))
        }
    };
    let mut programmes: Vec<(std::borrow::Cow<Pack>, Option<crate::date::Date>, usize)> =
        Vec::new();
    for (i, pr) in case.programmes.iter().enumerate() {
        let path = format!("$.programmes[{i}]");
        if pr.inline.is_some() && pr.id.is_some() {
            return Err(Error::new(
                ErrorCode::Inconsistent,
                format!("{path}.id"),
                "give either a programme `id` or an `inline` programme, not both: the inline one would be used and `id` ignored",
            ));
        }
        let pack = match (&pr.inline, &pr.id) {
            (Some(p), _) => std::borrow::Cow::Owned(
                catalog
                    .resolve_inline((**p).clone())
                    .map_err(|e| e.under(&format!("{path}.inline")))?,
            ),
            (None, Some(id)) => match catalog.get(id) {
                Some(p) if p.kind == PackKind::Programme => std::borrow::Cow::Borrowed(p),
                _ => {
                    return Err(Error::new(
                        ErrorCode::UnknownPack,
                        format!("{path}.id"),
                        format!(
                            "no built-in programme is called \"{id}\"; {}",
                            known(catalog, true)
                        ),
                    ))
                }
            },
            (None, None) => {
                return Err(Error::new(
                    ErrorCode::MissingField,
                    path,
                    "give a programme `id` or an `inline` programme",
                ))
            }
        };
        programmes.push((pack, pr.since, i));
    }
    Ok(Packs {
        region,
        programmes,
        catalog,
    })
}

/// Puts the layers in settlement order (donations first, then the case's `layerOrder`),
/// keeps those of the member's scheme, and settles.
fn order_layers<'p>(
    case: &Case,
    region: &'p Pack,
    mut layers: Vec<LayerRef<'p>>,
    catalog: &Catalog,
) -> Result<Estimate, Error> {
    // Donated units are never billed: donation programmes settle before every other layer.
    layers.sort_by_key(|l| l.layer.kind != LayerKind::Donation);
    for i in 0..layers.len() {
        for j in 0..i {
            if layers[i].layer.id == layers[j].layer.id {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    "$.programmes",
                    format!(
                        "layer id \"{}\" is used by both \"{}\" and \"{}\"",
                        layers[i].layer.id, layers[j].pack.id, layers[i].pack.id
                    ),
                ));
            }
        }
    }
    if !case.layer_order.is_empty() {
        let mut ordered = Vec::with_capacity(layers.len());
        for (i, id) in case.layer_order.iter().enumerate() {
            match layers.iter().position(|l| l.layer.id == *id) {
                Some(k) => ordered.push(layers.remove(k)),
                None => {
                    return Err(Error::new(
                        ErrorCode::UnknownReference,
                        format!("$.layerOrder[{i}]"),
                        format!(
                            "layer \"{id}\" is not among the case's layers (or is named twice)"
                        ),
                    ))
                }
            }
        }
        ordered.extend(layers);
        layers = ordered;
    }
    let scheme = case.member.scheme.as_str();
    layers.retain(|l| l.layer.schemes.is_empty() || l.layer.schemes.iter().any(|s| s == scheme));
    settle_with_range(case, region, layers, catalog)
}

/// The national floor pack: national minimums and typical values that stand in for a
/// layer the region's pack has no rules for, in a range's lowest share.
pub const FLOOR_PACK: &str = "cn-national-floor";

/// The most case variants tried for the inputs a range depends on.
const MAX_VARIANTS: usize = 64;

/// Settles the case; when a layer is undecided (no rules here, an input missing, 异地 care
/// the rules do not mention), settles again for the lowest share and reports the range:
/// each missing input the engine can enumerate (category, group, level, filing, referral)
/// is tried at every value, and a layer without rules is settled with the floor pack's.
fn settle_with_range(
    case: &Case,
    region: &Pack,
    layers: Vec<LayerRef>,
    catalog: &Catalog,
) -> Result<Estimate, Error> {
    let (mut estimate, undecided) = Settler::new(case, region, layers.clone()).run()?;
    if undecided.is_empty() {
        return Ok(estimate);
    }
    let floor = catalog.get(FLOOR_PACK);
    let variants = variants(case, region, &undecided);
    let mut high = estimate.patient.total;
    let mut low: Option<(Money, Vec<Money>, Vec<bool>)> = None;
    let mut consider = |e: &Estimate, u: &[crate::settle::UndecidedLayer]| {
        if low.as_ref().is_none_or(|(l, _, _)| e.patient.total < *l) {
            let paid = e.layers.iter().map(|l| l.paid).collect();
            let mut floored = vec![false; e.layers.len()];
            for x in u {
                floored[x.li] = x.used_floor;
            }
            low = Some((e.patient.total, paid, floored));
        }
    };
    match variants {
        None => {
            let (f, u) = Settler::new(case, region, layers.clone())
                .with_floor(floor)
                .run()?;
            consider(&f, &u);
        }
        Some(cases) => {
            for v in &cases {
                let (e, _) = Settler::new(v, region, layers.clone()).run()?;
                high = high.max(e.patient.total);
                let (f, u) = Settler::new(v, region, layers.clone())
                    .with_floor(floor)
                    .run()?;
                consider(&f, &u);
            }
        }
    }
    let Some((low, best, floored)) = low else {
        return Ok(estimate);
    };
    let low = low.min(high);
    estimate.range = Some(ShareRange {
        low,
        high,
        uncertain: high.checked_sub(low)?,
        undecided: undecided
            .into_iter()
            .map(|u| {
                let l = &estimate.layers[u.li];
                Undecided {
                    layer: l.id.clone(),
                    name: l.name.clone(),
                    status: u.status.to_string(),
                    input: u.input,
                    what: u.what,
                    best: best.get(u.li).copied().unwrap_or(u.paid),
                    national_floor: floored.get(u.li).copied().unwrap_or(false),
                }
            })
            .collect(),
    });
    Ok(estimate)
}

/// The cases to settle for a range: one per combination of values of the missing inputs
/// the undecided layers name and the engine can enumerate; `None` when no such input is
/// missing or there are too many combinations (the floor run alone then gives the low end).
fn variants(
    case: &Case,
    region: &Pack,
    undecided: &[crate::settle::UndecidedLayer],
) -> Option<Vec<Case>> {
    let mut inputs: Vec<&str> = undecided
        .iter()
        .filter_map(|u| u.input.as_deref())
        .collect();
    inputs.sort_unstable();
    inputs.dedup();
    let mut cases = vec![case.clone()];
    let mut varied = false;
    for input in inputs {
        let mut next = Vec::new();
        for c in &cases {
            let values: Vec<Case> = match input {
                "member.category" if c.member.category.is_none() => region
                    .categories
                    .iter()
                    .map(|k| k.id.clone())
                    .chain(std::iter::once("none".to_string()))
                    .map(|k| {
                        let mut v = c.clone();
                        v.member.category = Some(k);
                        v
                    })
                    .collect(),
                "member.group" if c.member.group.is_none() => region
                    .schemes
                    .iter()
                    .filter(|s| s.id == c.member.scheme)
                    .flat_map(|s| s.groups.iter())
                    .map(|g| {
                        let mut v = c.clone();
                        v.member.group = Some(g.id.clone());
                        v
                    })
                    .collect(),
                "encounter.level" => region
                    .levels
                    .iter()
                    .map(|l| {
                        let mut v = c.clone();
                        for e in v.encounters.iter_mut().filter(|e| e.level.is_none()) {
                            e.level = Some(l.id.clone());
                        }
                        v
                    })
                    .collect(),
                "encounter.filed" | "encounter.referred" => [true, false]
                    .into_iter()
                    .map(|b| {
                        let mut v = c.clone();
                        for e in v.encounters.iter_mut() {
                            let f = if input == "encounter.filed" {
                                &mut e.filed
                            } else {
                                &mut e.referred
                            };
                            f.get_or_insert(b);
                        }
                        v
                    })
                    .collect(),
                _ => vec![c.clone()],
            };
            if values.is_empty() {
                next.push(c.clone());
            } else {
                varied |= values.len() > 1;
                next.extend(values);
            }
            if next.len() > MAX_VARIANTS {
                return None;
            }
        }
        cases = next;
    }
    varied.then_some(cases)
}

fn known(catalog: &Catalog, programmes: bool) -> String {
    let ids: Vec<&str> = catalog
        .packs()
        .filter(|p| (p.kind == PackKind::Programme) == programmes)
        .map(|p| p.id.as_str())
        .collect();
    if ids.is_empty() {
        "none is built in".to_string()
    } else {
        format!("built-in: {}", ids.join(", "))
    }
}

fn check_limits(case: &Case) -> Result<(), Error> {
    use limits::*;
    if case.encounters.len() > MAX_ENCOUNTERS {
        return Err(Error::new(
            ErrorCode::TooManyEncounters,
            "$.encounters",
            format!(
                "{} encounters; the limit is {MAX_ENCOUNTERS} per case",
                case.encounters.len()
            ),
        ));
    }
    if case.programmes.len() > MAX_PROGRAMMES {
        return Err(Error::new(
            ErrorCode::TooManyProgrammes,
            "$.programmes",
            format!(
                "{} programmes; the limit is {MAX_PROGRAMMES} per case",
                case.programmes.len()
            ),
        ));
    }
    names(&case.member.diagnoses, || "$.member.diagnoses".into())?;
    names(&case.member.enrolments, || "$.member.enrolments".into())?;
    names(&case.layer_order, || "$.layerOrder".into())?;
    let mut total = 0usize;
    for (i, e) in case.encounters.iter().enumerate() {
        if e.items.len() > MAX_ITEMS_PER_ENCOUNTER {
            return Err(Error::new(
                ErrorCode::TooManyItems,
                format!("$.encounters[{i}].items"),
                format!(
                    "{} items; the limit is {MAX_ITEMS_PER_ENCOUNTER} per encounter",
                    e.items.len()
                ),
            ));
        }
        names(&e.diagnoses, || format!("$.encounters[{i}].diagnoses"))?;
        total += e.items.len();
    }
    if total > MAX_ITEMS {
        return Err(Error::new(
            ErrorCode::TooManyItems,
            "$.encounters",
            format!("{total} items; the limit is {MAX_ITEMS} per case"),
        ));
    }
    Ok(())
}

/// Refuses a list of names longer than [`limits::MAX_NAMES`]; `path` is built only then
/// (this runs on every estimate, for every encounter).
fn names(list: &[String], path: impl FnOnce() -> String) -> Result<(), Error> {
    if list.len() > limits::MAX_NAMES {
        return Err(Error::new(
            ErrorCode::TooManyNames,
            path(),
            format!(
                "{} names; the limit is {} per list",
                list.len(),
                limits::MAX_NAMES
            ),
        ));
    }
    Ok(())
}

/// Checks that the case's names exist in the pack.
fn check_case(case: &Case, pack: &Pack) -> Result<(), Error> {
    let mut problems = Vec::new();
    let m = &case.member;
    match pack.schemes.iter().find(|s| s.id == m.scheme) {
        None => problems.push(Error::new(
            ErrorCode::UnknownReference,
            "$.member.scheme",
            format!(
                "scheme \"{}\" is not in pack \"{}\"; expected one of: {}",
                m.scheme,
                pack.id,
                pack.schemes
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        Some(s) => {
            if let Some(g) = &m.group {
                if !s.groups.iter().any(|x| x.id == *g) {
                    problems.push(Error::new(
                        ErrorCode::UnknownReference,
                        "$.member.group",
                        format!(
                            "group \"{g}\" is not a group of scheme \"{}\"; expected one of: {}",
                            s.id,
                            s.groups
                                .iter()
                                .map(|x| x.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
        }
    }
    if let Some(c) = &m.category {
        if c != "none" && !pack.categories.iter().any(|x| x.id == *c) {
            problems.push(Error::new(
                ErrorCode::UnknownReference,
                "$.member.category",
                format!(
                    "category \"{c}\" is not recognised by pack \"{}\"; expected \"none\" or one of: {}",
                    pack.id,
                    pack.categories.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    if let (Some(_), Some(_)) = (m.age, m.birth_date) {
        problems.push(Error::new(
            ErrorCode::Inconsistent,
            "$.member.age",
            "give either age or birthDate, not both",
        ));
    }
    if case.encounters.is_empty() {
        problems.push(Error::new(
            ErrorCode::MissingField,
            "$.encounters",
            "a case needs at least one encounter",
        ));
    }
    for (i, e) in case.encounters.iter().enumerate() {
        if let Some(l) = &e.level {
            if !pack.levels.iter().any(|x| x.id == *l) {
                problems.push(Error::new(
                    ErrorCode::UnknownReference,
                    format!("$.encounters[{i}].level"),
                    format!(
                        "hospital level \"{l}\" is not in pack \"{}\"; expected one of: {}",
                        pack.id,
                        pack.levels
                            .iter()
                            .map(|x| x.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::gather(ErrorCode::InvalidCase, "the case", problems))
    }
}

/// What `validate` reports for a valid document.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DocumentSummary {
    /// What the document is: a pack, a programme, a case or a plan.
    pub document: DocumentKind,
    /// The summary of the pack validated, or of the regional pack a case or plan uses.
    #[serde(flatten)]
    pub summary: crate::catalog::PackSummary,
    /// Layers and editions counted.
    pub editions: usize,
}

/// The kinds of document `validate` recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A regional (or national) policy pack.
    Pack,
    /// A charity or commercial programme.
    Programme,
    /// A case: a member and encounters.
    Case,
    /// A plan: a member and a course of treatment (`plan`).
    Plan,
}

impl DocumentKind {
    /// What a document is, from its fields: a pack or programme has `kind`, `layers` or
    /// `sources`; a plan has `plan`; a case has `member` or `encounters`. `None`: none of
    /// these (the caller says what it got).
    pub fn of(doc: &serde_json::Value) -> Option<DocumentKind> {
        let has = |k: &str| doc.get(k).is_some();
        if has("plan") {
            Some(DocumentKind::Plan)
        } else if has("member") || has("encounters") || has("inlinePack") {
            Some(DocumentKind::Case)
        } else if has("kind") || has("layers") || has("sources") || has("rulesAsOf") {
            match doc.get("kind").and_then(|k| k.as_str()) {
                Some("programme") => Some(DocumentKind::Programme),
                _ => Some(DocumentKind::Pack),
            }
        } else {
            None
        }
    }
}

/// What a document that is none of the four looks like, for the message.
fn looks_like(doc: &serde_json::Value) -> String {
    let has = |k: &str| doc.get(k).is_some();
    let what = if has("case") || has("expected") {
        "a case file (`case` and `expected`): validate its `case`, or run it with `tiercost cases`"
    } else if has("base") && has("variants") {
        "a comparison (`base` and `variants`): validate its `base`"
    } else {
        match doc {
            serde_json::Value::Object(m) if m.is_empty() => "an empty object",
            serde_json::Value::Object(_) => "an object with none of their fields",
            serde_json::Value::Array(_) => "an array",
            _ => "not an object",
        }
    };
    let mut message = format!("validate takes a pack or programme (`kind`, `layers`), a case (`member`, `encounters`) or a plan (`member`, `plan`); this is {what}");
    // Its first fields, by hand: `join` would add its own code to the wasm.
    if let serde_json::Value::Object(m) = doc {
        for (i, k) in m.keys().take(8).enumerate() {
            message.push_str(if i == 0 { " (fields: `" } else { ", `" });
            message.push_str(k);
            message.push('`');
        }
        if !m.is_empty() {
            message.push(')');
        }
    }
    message
}

/// Validates a document given as JSON text: a pack or programme (inheritance resolved
/// against the embedded catalogue), a case or a plan (read, its packs resolved and checked,
/// and settled, so that every problem an estimate would meet is found). Returns what the
/// document is and the summary of its pack, or every problem found, with paths from the
/// document given.
pub fn validate_json(doc_json: &str) -> Result<DocumentSummary, Error> {
    check_size(doc_json)?;
    let value: serde_json::Value = serde_json::from_str(doc_json)
        .map_err(|e| Error::new(ErrorCode::JsonSyntax, "$", e.to_string()))?;
    let Some(document) = DocumentKind::of(&value) else {
        return Err(Error::new(
            ErrorCode::UnknownDocument,
            "$",
            looks_like(&value),
        ));
    };
    let catalog = Catalog::embedded();
    let region = match document {
        DocumentKind::Pack | DocumentKind::Programme => {
            let pack: Pack = crate::read::read_value(&value, "$").map_err(|e| {
                let problems = if e.problems.is_empty() {
                    vec![e]
                } else {
                    e.problems
                };
                Error::gather(ErrorCode::InvalidPack, "the document", problems)
            })?;
            catalog.resolve(pack)?
        }
        DocumentKind::Case | DocumentKind::Plan => {
            if document == DocumentKind::Case {
                let case: Case = crate::read::read_value(&value, "$")?;
                estimate(&case, catalog)?;
            } else {
                validate_plan(doc_json)?;
            }
            match (
                value.get("inlinePack"),
                value.get("pack").and_then(|p| p.as_str()),
            ) {
                (Some(inline), _) => {
                    let pack: Pack = crate::read::read_value(inline, "$.inlinePack")?;
                    catalog
                        .resolve_inline(pack)
                        .map_err(|e| e.under("$.inlinePack"))?
                }
                (None, Some(id)) => catalog.get(id).cloned().ok_or_else(|| {
                    Error::new(
                        ErrorCode::UnknownPack,
                        "$.pack",
                        format!("no built-in pack is called \"{id}\""),
                    )
                })?,
                (None, None) => {
                    return Err(Error::new(
                        ErrorCode::MissingField,
                        "$.pack",
                        "name a built-in pack (`pack`) or give one inline (`inlinePack`)",
                    ))
                }
            }
        }
    };
    let editions = region.layers.iter().map(|l| l.editions.len()).sum();
    let summary = catalog.summaries_of(&region);
    Ok(DocumentSummary {
        document,
        summary,
        editions,
    })
}

/// Settles a plan document, for `validate`.
#[cfg(any(not(feature = "wasm"), feature = "wasm-planning"))]
fn validate_plan(text: &str) -> Result<(), Error> {
    crate::plan_json(text).map(|_| ())
}

/// The core wasm module leaves the planning code out (it would grow the module by a third):
/// it recognises a plan and says where to validate it.
#[cfg(all(feature = "wasm", not(feature = "wasm-planning")))]
fn validate_plan(_: &str) -> Result<(), Error> {
    Err(Error::new(
        ErrorCode::UnknownDocument,
        "$",
        "this is a plan (`member`, `plan`): the core module does not read plans; validate it with the planning module (`init({planning: true})`) or `tiercost validate`",
    ))
}

/// Summaries of the embedded packs and programmes.
pub fn list_packs() -> Vec<crate::catalog::PackSummary> {
    Catalog::embedded().summaries()
}

/// The data version: every embedded pack's id and version, joined.
pub fn data_version() -> String {
    Catalog::embedded()
        .versions()
        .into_iter()
        .map(|(id, version)| format!("{id}@{version}"))
        .collect::<Vec<_>>()
        .join(",")
}
