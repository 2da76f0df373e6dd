//! The entry points: resolve the packs a case names, check the case against them, settle.

use crate::error::{Error, ErrorCode};
use crate::reading::read::read_str;
use crate::results::estimate::{Detail, Estimate, ShareRange, Undecided};
use crate::rules::case::Case;
use crate::rules::catalog::{ordered_layers, Catalog};
use crate::rules::policy::{LayerKind, Pack, PackKind};
use crate::settle::{LayerRef, Settler};
use crate::units::money::Money;

mod checks;
mod registered;
pub use registered::Registered;

use crate::reading::limits::check_size;
use checks::{check_case, check_limits};

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
    estimate_json_with(case_json, Detail::Full)
}

/// [`estimate_json`] with the detail asked for: [`Detail::Totals`] settles the same way and
/// keeps only the amounts, statuses, range and warnings.
pub fn estimate_json_with(case_json: &str, detail: Detail) -> Result<Estimate, Error> {
    check_size(case_json)?;
    let case: Case = read_str(case_json)?;
    estimate_with(&case, Catalog::embedded(), detail)
}

/// Estimates a parsed case against a catalogue.
pub fn estimate(case: &Case, catalog: &Catalog) -> Result<Estimate, Error> {
    estimate_with(case, catalog, Detail::Full)
}

/// [`estimate`] with the detail asked for.
pub fn estimate_with(case: &Case, catalog: &Catalog, detail: Detail) -> Result<Estimate, Error> {
    check_limits(case)?;
    Packs::resolve(case, catalog)?.settle(case, detail)
}

/// Estimates a case given as JSON text whose `pack` or programme `id`s may name packs
/// registered in `registered` (read and validated once) as well as built-in ones.
pub fn estimate_registered_json(
    case_json: &str,
    registered: &Registered,
    detail: Detail,
) -> Result<Estimate, Error> {
    check_size(case_json)?;
    estimate_registered(&read_str(case_json)?, registered, detail)
}

/// [`estimate_registered_json`] of a parsed case.
pub fn estimate_registered(
    case: &Case,
    registered: &Registered,
    detail: Detail,
) -> Result<Estimate, Error> {
    check_limits(case)?;
    resolve_packs(case, Catalog::embedded(), Some(registered))?.settle(case, detail)
}

/// The packs a case names (its regional pack, built in or inline, and its programmes),
/// resolved and validated once, to settle many cases against: [`estimate`] is
/// `Packs::resolve(case, catalog)?.estimate(case)`, and `tiercost batch` resolves its
/// template's packs once and settles every row with them.
pub struct Packs<'c> {
    region: std::borrow::Cow<'c, Pack>,
    programmes: Vec<(
        std::borrow::Cow<'c, Pack>,
        Option<crate::units::date::Date>,
        usize,
    )>,
    catalog: &'c Catalog,
}

impl<'c> Packs<'c> {
    /// Resolves the packs `case` names (`pack` or `inlinePack`, and `programmes`) in
    /// `catalog`; the errors are those [`estimate`] gives, at the same paths.
    pub fn resolve(case: &Case, catalog: &'c Catalog) -> Result<Packs<'c>, Error> {
        resolve_packs(case, catalog, None)
    }

    /// The regional pack, resolved.
    pub fn region(&self) -> &Pack {
        &self.region
    }

    /// Every layer these packs can settle, in their settlement order (donation programmes
    /// first, then the region's layers, then each programme's): a case's `layerOrder` and
    /// the member's scheme may reorder or leave out some.
    pub fn layers(&self) -> Vec<&crate::rules::policy::Layer> {
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
        self.estimate_with(case, Detail::Full)
    }

    /// [`Packs::estimate`] with the detail asked for ([`Detail::Totals`]: no trace).
    pub fn estimate_with(&self, case: &Case, detail: Detail) -> Result<Estimate, Error> {
        check_limits(case)?;
        self.settle(case, detail)
    }

    fn settle(&self, case: &Case, detail: Detail) -> Result<Estimate, Error> {
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
        order_layers(case, region, layers, catalog, detail)
    }
}

fn resolve_packs<'c>(
    case: &Case,
    catalog: &'c Catalog,
    registered: Option<&'c Registered>,
) -> Result<Packs<'c>, Error> {
    // A pack named by id: a registered one, else a built-in one.
    let named = |id: &str| {
        registered
            .and_then(|r| r.get(id))
            .or_else(|| catalog.get(id))
    };
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
        (None, Some(id)) => match named(id) {
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
    let mut programmes: Vec<(
        std::borrow::Cow<Pack>,
        Option<crate::units::date::Date>,
        usize,
    )> = Vec::new();
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
            (None, Some(id)) => match named(id) {
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
    detail: Detail,
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
    settle_with_range(case, region, layers, catalog, detail)
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
/// Those extra runs only give totals: their trace is never read.
fn settle_with_range(
    case: &Case,
    region: &Pack,
    layers: Vec<LayerRef>,
    catalog: &Catalog,
    detail: Detail,
) -> Result<Estimate, Error> {
    let (mut estimate, undecided) = Settler::new(case, region, layers.clone())
        .with_detail(detail)
        .run()?;
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
    // A case settled for a range's lowest share: the floor pack stands in where undecided.
    let floor_run = |c: &Case| {
        Settler::new(c, region, layers.clone())
            .with_floor(floor)
            .with_detail(Detail::Totals)
            .run()
    };
    match variants {
        None => {
            let (f, u) = floor_run(case)?;
            consider(&f, &u);
        }
        Some(cases) => {
            for v in &cases {
                let (e, u) = Settler::new(v, region, layers.clone())
                    .with_detail(Detail::Totals)
                    .run()?;
                high = high.max(e.patient.total);
                if u.is_empty() {
                    // Nothing left undecided for this variant: the floor run would settle it
                    // the same way (the floor stands in only where a layer is undecided). Debug
                    // builds — every test — run it anyway and check.
                    #[cfg(debug_assertions)]
                    {
                        let (f, _) = floor_run(v)?;
                        let paid =
                            |x: &Estimate| x.layers.iter().map(|l| l.paid).collect::<Vec<_>>();
                        debug_assert_eq!(
                            (f.patient.total, paid(&f)),
                            (e.patient.total, paid(&e)),
                            "a variant with nothing undecided settled differently with the floor"
                        );
                    }
                    consider(&e, &u);
                    continue;
                }
                let (f, u) = floor_run(v)?;
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
