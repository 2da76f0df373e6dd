//! Settlement: encounters in date order, layers in order, each benefit taking what is left.
//!
//! The skeleton every published worked example follows (see the research notes §0):
//! items split into buckets → for each layer: base (weighted buckets) → patient first pay →
//! deductible → rate or bands over the year's cumulative base → caps → one rounding → the
//! payment is taken out of the buckets it was drawn from, and the next layer sees the rest.

use std::collections::BTreeMap;

use crate::case::{Case, Class, Encounter, Locality, Member, Setting};
use crate::choice::{Choice, Limit, Pick};
use crate::condition::{Condition, EncounterFacts, Facts, Truth};
use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::estimate::*;
use crate::money::{Money, Rate, Ratio, PPM};
use crate::policy::*;

/// A layer to settle, with the pack it comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LayerRef<'a> {
    pub layer: &'a Layer,
    pub pack: &'a Pack,
    /// For a programme: when the patient joined it, and where it is named in the case.
    pub since: Option<Date>,
    pub programme_path: Option<usize>,
}

/// One bill line before it is split into buckets: amount, class, its own first-pay ratio,
/// price limit, code and quantity.
type BillRow<'a> = (
    Money,
    Class,
    Option<Rate>,
    Option<Money>,
    Option<&'a str>,
    u32,
);

struct ItemState<'a> {
    enc: usize,
    index: usize,
    class: Class,
    code: Option<&'a str>,
    quantity: u32,
    amount: Money,
    billed: [Money; 4],
    rem: [Money; 4],
    paid: Vec<Money>,
}

/// A map for the handful of keys one estimate uses (layers, benefits, caps): a linear scan
/// over a short vector beats hashing the string keys.
struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: PartialEq, V: Default> VecMap<K, V> {
    fn get(&self, k: &K) -> Option<&V> {
        self.0.iter().find(|(x, _)| x == k).map(|(_, v)| v)
    }

    fn entry_default(&mut self, k: K) -> &mut V {
        let i = match self.0.iter().position(|(x, _)| *x == k) {
            Some(i) => i,
            None => {
                self.0.push((k, V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    fn insert(&mut self, k: K, v: V) {
        *self.entry_default(k) = v;
    }
}

#[derive(Default)]
struct DeductibleAcc {
    total: Money,
    met: Ratio,
}

#[derive(Default)]
struct BenefitAcc {
    deductible: DeductibleAcc,
    cum_base: Ratio,
    cum_payable: Ratio,
    paid_exact: Ratio,
    paid_rounded: Money,
    lump_paid: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum CapKey<'a> {
    Benefit(usize, &'a str, usize),
    Layer(usize, usize),
    Pool(&'a str),
}

#[derive(Default)]
struct YearState<'a> {
    start: Option<Date>,
    admissions: u32,
    benefits: VecMap<(usize, &'a str), BenefitAcc>,
    deductible_pools: VecMap<&'a str, DeductibleAcc>,
    caps: VecMap<(CapKey<'a>, CapOn), Ratio>,
}

#[derive(Default)]
struct DonationState {
    units: u64,
    first: Option<Date>,
    paid_exact: Ratio,
    paid_rounded: Money,
}

struct LayerTally {
    paid: Money,
    settlements: Vec<Settlement>,
    eligible_somewhere: bool,
    ineligible: Option<(Text, Vec<String>)>,
    not_enrolled: Option<Text>,
    needs: Option<(String, Text)>,
    no_rules: Option<Text>,
    /// 异地 care the layer's rules do not mention, settled under the national rule: what
    /// the range spans.
    out_of_area: Option<Text>,
    /// Whether the floor run settled the national floor pack's layer in its place.
    used_floor: bool,
}

/// A layer whose payment the estimate could not decide: what the engine turns into a range.
#[derive(Clone, Debug)]
pub(crate) struct UndecidedLayer {
    pub li: usize,
    pub status: &'static str,
    pub input: Option<String>,
    pub what: Text,
    pub paid: Money,
    pub used_floor: bool,
}

/// How far a layer's rate is cut for 异地 care its rules do not mention, and why.
#[derive(Clone)]
struct LocalityCut {
    points: i64,
    reason: Text,
}

/// What one layer recorded in the current encounter, for later layers.
#[derive(Default, Clone)]
struct EncounterLayerNote {
    deductible_applied: Ratio,
    above_cap: Ratio,
}

pub(crate) struct Settler<'a> {
    case: &'a Case,
    region: &'a Pack,
    layers: Vec<LayerRef<'a>>,
    warnings: Vec<Warning>,
    sources: BTreeMap<String, Source>,
    cited: VecMap<*const Effective, std::sync::Arc<[String]>>,
    /// The national floor pack: set for the run that gives a range's lowest share.
    floor: Option<&'a Pack>,
    /// The 异地 cut applied to the rates of the layer being settled.
    cut: Option<LocalityCut>,
}

fn text(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

fn pick_general(pack: &Pack, date: Date) -> Option<&GeneralEdition> {
    pack.general.iter().find(|g| g.effective.covers(date))
}

fn empty_lines() -> &'static BTreeMap<String, Money> {
    static EMPTY: std::sync::OnceLock<BTreeMap<String, Money>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(BTreeMap::new)
}

impl<'a> Settler<'a> {
    pub(crate) fn new(case: &'a Case, region: &'a Pack, layers: Vec<LayerRef<'a>>) -> Settler<'a> {
        Settler {
            case,
            region,
            layers,
            warnings: Vec::new(),
            sources: BTreeMap::new(),
            cited: VecMap::default(),
            floor: None,
            cut: None,
        }
    }

    /// Settles for the lowest share of a range: every layer×encounter with no rules (or an
    /// input no value is tried for) is settled with the floor pack's layer of the same kind
    /// and scheme, and 异地 care the rules do not mention is settled as local.
    pub(crate) fn with_floor(mut self, floor: Option<&'a Pack>) -> Settler<'a> {
        self.floor = floor;
        self
    }

    /// The floor pack's layer standing in for `layer`, if any.
    fn floor_layer(&self, layer: &Layer) -> Option<LayerRef<'a>> {
        let floor = self.floor?;
        let scheme = self.case.member.scheme.as_str();
        floor
            .layers
            .iter()
            .find(|l| {
                // The floor pack extends the national pack: only its own `floor_` layers stand in.
                l.id.starts_with("floor_")
                    && l.kind == layer.kind
                    && (l.schemes.is_empty() || l.schemes.iter().any(|s| s == scheme))
            })
            .map(|l| LayerRef {
                layer: l,
                pack: floor,
                since: None,
                programme_path: None,
            })
    }

    /// The layer's edition in effect on `date`; after its last edition, the last one, with a
    /// `rules_stale` warning (the rules may have changed since). `None` before its first.
    fn edition_on(&mut self, lr: LayerRef<'a>, date: Date) -> Option<&'a Edition> {
        let editions = &lr.layer.editions;
        if let Some(e) = editions.iter().find(|e| e.effective.covers(date)) {
            self.past_validity(lr, e, date);
            return Some(e);
        }
        if lr.programme_path.is_some() {
            // A programme's editions are its windows: after the last one it does not help.
            return None;
        }
        let last = last_edition_by(editions, date)?;
        let until = last.effective.until.unwrap_or(last.effective.from);
        let name = &lr.layer.name;
        self.warn(
            "rules_stale",
            text(
                format!("{}：已收录的规则截至 {until}，之后的就医按最后已知规则估算，规则可能已变化，请核实", name.zh),
                format!("{}: the rules held end on {until}; later care was estimated with the last known rules, which may have changed — check them", name.en),
            ),
            Some(format!("pack {} layer {}", lr.pack.id, lr.layer.id)),
        );
        Some(last)
    }

    /// A warning for each source of the edition whose rules had ended, or were due for a
    /// review, by the date of the care (the source's `validity`): the figure may have changed.
    fn past_validity(&mut self, lr: LayerRef<'a>, e: &'a Edition, date: Date) {
        for id in &e.effective.sources {
            let Some(src) = lr.pack.sources.get(id) else {
                continue;
            };
            let Some(stale) = src.validity.as_ref().and_then(|v| v.stale_on(date)) else {
                continue;
            };
            let name = &lr.layer.name;
            let (zh, en) = match stale {
                Staleness::Expired(u) => (
                    format!("{}：所依据的来源「{}」的规则截至 {u}，就医日期已超出，规则可能已更新，请向医保部门核实", name.zh, src.title),
                    format!("{}: the rules of the source \"{}\" ended on {u}, before the date of care; they may have been updated — check with the 医保 office", name.en, src.title),
                ),
                Staleness::ReviewDue(r) => (
                    format!("{}：所依据的来源「{}」应在 {r} 前复核，尚未复核，数额可能已变化", name.zh, src.title),
                    format!("{}: the source \"{}\" was due to be checked again by {r} and has not been; the figures may have changed", name.en, src.title),
                ),
            };
            self.warn(
                "source_past_validity",
                text(zh, en),
                Some(format!("pack {} source {id}", lr.pack.id)),
            );
        }
    }

    /// The floor pack's stand-in for `layer` on `date` (floor run only).
    fn floor_attempt(&self, layer: &Layer, date: Date) -> Option<(LayerRef<'a>, &'a Edition)> {
        let f = self.floor_layer(layer)?;
        Some((f, last_edition_by(&f.layer.editions, date)?))
    }

    /// 异地 care a public layer's rules do not mention. Out of the province, the national
    /// rules for 跨省异地就医直接结算 apply (医保发〔2022〕22号: 就医地目录、参保地政策 — the home
    /// region's deductible, rates and caps; temporary visits may be paid less, by an amount
    /// each region sets). The notice sets no size for the cut: local rules typically take 10
    /// points off a filed temporary visit and up to 20 off one not filed or not referred
    /// (research notes §1.5, grades A–D), so those are the range's high ends: `Ok` with what
    /// the range spans and the largest cut. Inside the province no national rule applies:
    /// `Err` with what is missing.
    fn out_of_area(&self, layer: &Layer, enc: &Encounter) -> Result<(Text, LocalityCut), Text> {
        let name = &layer.name;
        if enc.locality == Locality::InProvince {
            return Err(text(
                format!("{}省内异地就医（本市以外、省内）的报销规则", name.zh),
                format!("{}'s rules for care elsewhere in the province", name.en),
            ));
        }
        let (points, zh, en) = match enc.filed {
            Some(true) => (
                100_000,
                "已备案的跨省异地就医：按参保地政策结算；临时外出就医的比例可能降低，各地常见约10个百分点",
                "filed care in another province: settled under the home region's rules; a temporary visit may be paid at a lower rate, commonly about 10 points lower",
            ),
            Some(false) => (
                200_000,
                "未备案的跨省异地就医：按参保地政策结算，比例通常降低，各地常见最多约20个百分点",
                "care in another province not filed (未备案): settled under the home region's rules at a rate usually lowered, by up to about 20 points",
            ),
            None => (
                200_000,
                "跨省异地就医（未说明是否备案）：按参保地政策结算；临时外出或未备案时比例会降低，各地常见最多约20个百分点",
                "care in another province (filing not stated): settled under the home region's rules; a temporary or unfiled visit is paid at a lower rate, by up to about 20 points",
            ),
        };
        let what = text(
            format!("{}：本地区资料没有异地就医的规定，按国家跨省直接结算规则估算。{zh}", name.zh),
            format!("{}: the pack states no rules for care outside the region; the national rules for cross-province settlement were used. {en}", name.en),
        );
        let n = points / 10_000;
        Ok((
            what,
            LocalityCut {
                points,
                reason: text(
                    format!("跨省异地就医：按各地常见的降低{n}个百分点估算（较高的一端）"),
                    format!("care in another province: {n} points lower, as regions commonly do (the high end)"),
                ),
            },
        ))
    }

    fn warn(&mut self, code: &str, message: Text, path: Option<String>) {
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
    fn cite_edition(&mut self, pack: &Pack, e: &Effective) -> std::sync::Arc<[String]> {
        let key = e as *const Effective;
        if let Some(v) = self.cited.get(&key) {
            return v.clone();
        }
        let v: std::sync::Arc<[String]> = self.cite(pack, &e.sources).into();
        self.cited.insert(key, v.clone());
        v
    }

    fn cite(&mut self, pack: &Pack, ids: &[String]) -> Vec<String> {
        ids.iter()
            .map(|id| {
                let key = format!("{}/{}", pack.id, id);
                if !self.sources.contains_key(&key) {
                    if let Some(s) = pack.sources.get(id) {
                        self.sources.insert(key.clone(), s.clone());
                    }
                }
                key
            })
            .collect()
    }

    /// Splits every item into buckets, expanding quick totals into class rows.
    fn build_items(&mut self, order: &[usize]) -> Result<Vec<ItemState<'a>>, Error> {
        let mut items = Vec::new();
        let n_layers = self.layers.len();
        for (pos, &ei) in order.iter().enumerate() {
            let enc = &self.case.encounters[ei];
            let general = pick_general(self.region, enc.date);
            let lines = general.map(|g| &g.lines).unwrap_or_else(|| empty_lines());
            let path = format!("$.encounters[{ei}]");
            let rows: Vec<BillRow<'a>> = if !enc.items.is_empty() {
                if enc.total.is_some() {
                    return Err(Error::new(
                        ErrorCode::Inconsistent,
                        format!("{path}.total"),
                        "give either items or a total for an encounter, not both",
                    ));
                }
                enc.items
                    .iter()
                    .map(|it| {
                        (
                            it.amount,
                            it.class,
                            it.first_pay_ratio,
                            it.price_limit,
                            it.code.as_deref(),
                            it.quantity.unwrap_or(1),
                        )
                    })
                    .collect()
            } else if let Some(total) = enc.total {
                let split = match (&enc.split, general.and_then(|g| g.typical_split)) {
                        (Some(s), _) => *s,
                        (None, Some(s)) => {
                            self.warn(
                                "typical_split_assumed",
                                text(
                                    format!("第{}次就医未给出甲/乙/丙类构成，按本地区典型构成估算（甲类 {}、乙类 {}、丙类 {}）", pos + 1, pct(s.class_a), pct(s.class_b), pct(s.class_c)),
                                    format!("Encounter {} gives no split of 甲/乙/丙 items; the region's typical split was assumed (A {}, B {}, C {})", pos + 1, pct(s.class_a), pct(s.class_b), pct(s.class_c)),
                                ),
                                Some(format!("{path}.split")),
                            );
                            s
                        }
                        (None, None) => {
                            return Err(Error::new(
                                ErrorCode::MissingField,
                                format!("{path}.split"),
                                "the encounter gives only a total and the pack has no typical split: give a split {classA, classB, classC}",
                            ))
                        }
                    };
                let sum = split.class_a.ppm() as u64
                    + split.class_b.ppm() as u64
                    + split.class_c.ppm() as u64;
                if sum != PPM as u64 {
                    return Err(Error::new(
                        ErrorCode::Inconsistent,
                        format!("{path}.split"),
                        format!(
                            "the split must sum to 1, but sums to {}",
                            crate::money::format_ppm(sum as i64)
                        ),
                    ));
                }
                let a = total.exact().times(split.class_a)?.round_half_up()?;
                let b = total.exact().times(split.class_b)?.round_half_up()?;
                let c = total.checked_sub(a)?.checked_sub(b)?;
                let c = if c.is_negative() { Money::ZERO } else { c };
                vec![
                    (a, Class::A, None, None, None, 1),
                    (b, Class::B, None, None, None, 1),
                    (c, Class::C, None, None, None, 1),
                ]
                .into_iter()
                .filter(|r| !r.0.is_zero())
                .collect()
            } else {
                return Err(Error::new(
                    ErrorCode::MissingField,
                    format!("{path}.items"),
                    "an encounter needs items or a total",
                ));
            };
            for (index, (amount, class, ratio, limit, code, quantity)) in
                rows.into_iter().enumerate()
            {
                let mut billed = [Money::ZERO; 4];
                match class {
                    Class::C => billed[Bucket::OutOfCatalogue.index()] = amount,
                    Class::A | Class::B => {
                        let over = match limit {
                            Some(l) if amount > l => amount.checked_sub(l)?,
                            _ => Money::ZERO,
                        };
                        let within = amount.checked_sub(over)?;
                        let first = if class == Class::B {
                            let ratio = match ratio {
                                Some(r) => r,
                                None => {
                                    let facts = Facts {
                                        member: &self.case.member,
                                        date: enc.date,
                                        encounter: None,
                                        code,
                                        lines,
                                    };
                                    match general
                                        .and_then(|g| g.first_pay_ratio.as_ref())
                                        .map(|c| c.pick(&facts))
                                    {
                                        Some(Pick::Value(r, _)) => *r,
                                        _ => {
                                            self.warn(
                                                "first_pay_ratio_unknown",
                                                text(
                                                    "本地区资料未给出乙类先行自付比例，乙类按 0% 先行自付计算，可能低估自付",
                                                    "The pack gives no 乙类 first-pay ratio; class-B items were treated as having none, which may understate the family's share",
                                                ),
                                                Some(format!("{path}.items[{index}].firstPayRatio")),
                                            );
                                            Rate::ZERO
                                        }
                                    }
                                }
                            };
                            within.exact().times(ratio)?.round_half_up()?
                        } else {
                            Money::ZERO
                        };
                        billed[Bucket::OverLimit.index()] = over;
                        billed[Bucket::FirstPay.index()] = first;
                        billed[Bucket::InScope.index()] = within.checked_sub(first)?;
                    }
                }
                items.push(ItemState {
                    enc: pos,
                    index,
                    class,
                    code,
                    quantity,
                    amount,
                    billed,
                    rem: billed,
                    paid: vec![Money::ZERO; n_layers],
                });
            }
        }
        Ok(items)
    }

    /// Runs the settlement, returning the estimate and the layers it could not decide.
    pub(crate) fn run(mut self) -> Result<(Estimate, Vec<UndecidedLayer>), Error> {
        let case = self.case;
        let member: &Member = &case.member;
        let mut order: Vec<usize> = (0..case.encounters.len()).collect();
        order.sort_by_key(|&i| case.encounters[i].date);
        let mut items = self.build_items(&order)?;
        let n_layers = self.layers.len();

        // Every encounter must fall inside some edition of some layer.
        for &ei in &order {
            let d = case.encounters[ei].date;
            if !self
                .layers
                .iter()
                .any(|l| l.layer.editions.iter().any(|e| e.effective.from <= d))
            {
                return Err(Error::new(
                    ErrorCode::NotInEffect,
                    format!("$.encounters[{ei}].date"),
                    format!(
                        "no rules of the pack are in effect on {d}: the pack covers other dates"
                    ),
                ));
            }
        }

        let mut tallies: Vec<LayerTally> = (0..n_layers)
            .map(|_| LayerTally {
                paid: Money::ZERO,
                settlements: Vec::new(),
                eligible_somewhere: false,
                ineligible: None,
                not_enrolled: None,
                needs: None,
                no_rules: None,
                out_of_area: None,
                used_floor: false,
            })
            .collect();
        let mut year = YearState::default();
        let mut donations: VecMap<(usize, &'a str), DonationState> = VecMap::default();
        let mut enc_results = Vec::new();
        let mut item_start = 0usize;

        for (pos, &ei) in order.iter().enumerate() {
            let enc: &'a Encounter = &case.encounters[ei];
            let item_end = item_start
                + items[item_start..]
                    .iter()
                    .take_while(|it| it.enc == pos)
                    .count();
            let range = item_start..item_end;
            item_start = item_end;

            let ystart = self.region.year_start.year_start_for(enc.date);
            if year.start != Some(ystart) {
                year = YearState {
                    start: Some(ystart),
                    ..YearState::default()
                };
            }
            let admission = if enc.setting == Setting::Inpatient {
                year.admissions += 1;
                year.admissions
            } else {
                0
            };
            let general = pick_general(self.region, enc.date);
            let lines = general.map(|g| &g.lines).unwrap_or_else(|| empty_lines());
            let efacts = EncounterFacts {
                setting: enc.setting,
                level: enc.level.as_deref(),
                locality: enc.locality,
                filed: enc.filed,
                admission,
                referred: enc.referred,
                diagnoses: &enc.diagnoses,
            };
            let facts = Facts {
                member,
                date: enc.date,
                encounter: Some(efacts),
                code: None,
                lines,
            };
            let mut notes: VecMap<&'a str, EncounterLayerNote> = VecMap::default();
            let mut enc_caps: VecMap<(CapKey<'a>, CapOn), Ratio> = VecMap::default();

            #[allow(clippy::needless_range_loop)] // `li` also indexes each item's payments
            for li in 0..n_layers {
                let lr0 = self.layers[li];
                let layer0 = lr0.layer;
                // What is settled: the layer's own edition, or (in the floor run) the floor
                // pack's layer in its place where the layer has no rules.
                let mut attempt = match self.edition_on(lr0, enc.date) {
                    Some(e) => Some((lr0, e)),
                    None if lr0.programme_path.is_some() => {
                        tallies[li].ineligible.get_or_insert((
                            text(
                                format!("{} 没有在 {} 生效的规则", layer0.name.zh, enc.date),
                                format!(
                                    "{} has no rules in effect on {}",
                                    layer0.name.en, enc.date
                                ),
                            ),
                            Vec::new(),
                        ));
                        None
                    }
                    None => {
                        tallies[li].no_rules.get_or_insert(text(
                            format!("{}在 {} 适用的规则", layer0.name.zh, enc.date),
                            format!("the rules of {} in effect on {}", layer0.name.en, enc.date),
                        ));
                        self.floor_attempt(layer0, enc.date)
                    }
                };
                let mut own = attempt.is_some_and(|(lr, _)| std::ptr::eq(lr.layer, layer0));
                if attempt.is_some() && !own {
                    tallies[li].used_floor = true;
                }
                let mut note = EncounterLayerNote::default();
                while let Some((lr, edition)) = attempt.take() {
                    let layer = lr.layer;
                    let undecided = match self.eligibility(lr, &facts, edition) {
                        Eligibility::Yes => {
                            tallies[li].eligible_somewhere |= own;
                            false
                        }
                        Eligibility::No(reason, by_rule) => {
                            let sources = if by_rule {
                                self.cite_edition(lr.pack, &edition.effective).to_vec()
                            } else {
                                Vec::new()
                            };
                            if own {
                                tallies[li].ineligible.get_or_insert((reason, sources));
                            }
                            break;
                        }
                        Eligibility::NotEnrolled(reason) => {
                            if own {
                                tallies[li].not_enrolled.get_or_insert(reason);
                            }
                            break;
                        }
                        Eligibility::Needs(input, reason) => {
                            if own {
                                tallies[li].needs.get_or_insert((input, reason));
                            }
                            true
                        }
                        Eligibility::NoRules(what) => {
                            if own {
                                tallies[li].no_rules.get_or_insert(what);
                            }
                            true
                        }
                    };
                    if undecided {
                        if own {
                            attempt = self.floor_attempt(layer0, enc.date);
                            tallies[li].used_floor |= attempt.is_some();
                            own = false;
                        }
                        continue;
                    }
                    self.cut = None;
                    if own
                        && layer.kind.is_public()
                        && enc.locality != Locality::InRegion
                        && !edition_mentions_locality(edition)
                    {
                        match self.out_of_area(layer, enc) {
                            Ok((what, cut)) => {
                                tallies[li].out_of_area.get_or_insert(what);
                                if self.floor.is_none() {
                                    self.cut = Some(cut);
                                }
                            }
                            Err(what) => {
                                tallies[li].no_rules.get_or_insert(what);
                                if self.floor.is_none() {
                                    break;
                                }
                            }
                        }
                    }
                    for g in &edition.effective.gaps {
                        if !g.blocking && own {
                            self.warn(
                                "data_gap",
                                text(
                                    format!("{}：资料缺失——{}", layer.name.zh, g.what.zh),
                                    format!("{}: no source gives {}", layer.name.en, g.what.en),
                                ),
                                Some(format!("pack {} layer {}", lr.pack.id, layer.id)),
                            );
                        }
                    }
                    let edition_ref = EditionRef {
                        from: edition.effective.from,
                        until: edition.effective.until,
                        sources: self.cite_edition(lr.pack, &edition.effective),
                    };
                    if let Some(don) = &edition.donation {
                        for ii in range.clone() {
                            let Some(code) = items[ii].code else { continue };
                            if !don.codes.iter().any(|c| c == code) {
                                continue;
                            }
                            let st = donations.entry_default((li, code));
                            let settlement =
                                donate(don, st, &mut items[ii], li, enc.date, &facts, code)?;
                            if let Some(mut s) = settlement {
                                tallies[li].paid = tallies[li].paid.checked_add(s.paid)?;
                                s.encounter = pos;
                                s.benefit = "donation".into();
                                s.name = None;
                                s.edition = edition_ref.clone();
                                tallies[li].settlements.push(s);
                            }
                        }
                    }
                    let mut gap = false;
                    for (bi, benefit) in edition.benefits.iter().enumerate() {
                        match benefit.when.eval(&facts) {
                            Truth::No => continue,
                            Truth::Unknown(input) => {
                                if own {
                                    tallies[li].needs.get_or_insert((
                                        input.to_string(),
                                        text(
                                            format!(
                                                "{} 是否适用取决于此项信息",
                                                benefit_name(layer, benefit).zh
                                            ),
                                            format!(
                                                "whether {} applies depends on this",
                                                benefit_name(layer, benefit).en
                                            ),
                                        ),
                                    ));
                                }
                                gap = true;
                                continue;
                            }
                            Truth::Yes => {}
                        }
                        let ctx = BenefitCtx {
                            li,
                            bi,
                            lr,
                            edition,
                            benefit,
                            facts: &facts,
                            admission,
                            days: enc.days,
                            range: range.clone(),
                        };
                        match self.settle_benefit(
                            &ctx,
                            &mut items,
                            &mut year,
                            &mut enc_caps,
                            &notes,
                            &mut note,
                        )? {
                            BenefitResult::Paid(mut s) => {
                                tallies[li].paid = tallies[li].paid.checked_add(s.paid)?;
                                s.encounter = pos;
                                s.edition = edition_ref.clone();
                                tallies[li].settlements.push(s);
                            }
                            BenefitResult::Needs(input, what) => {
                                if own {
                                    tallies[li].needs.get_or_insert((input, what));
                                }
                                gap = true;
                            }
                            BenefitResult::NoRules(what) => {
                                if own {
                                    tallies[li].no_rules.get_or_insert(what);
                                }
                                gap = true;
                            }
                            BenefitResult::NotApplicable => {}
                        }
                    }
                    self.cut = None;
                    if gap && own {
                        // The floor run settles the floor pack's layer on what is left.
                        attempt = self.floor_attempt(layer0, enc.date);
                        tallies[li].used_floor |= attempt.is_some();
                        own = false;
                    }
                }
                notes.insert(layer0.id.as_str(), note);
            }

            let mut paid_by = BTreeMap::new();
            let mut total = Money::ZERO;
            let mut patient = Money::ZERO;
            for it in &items[range.clone()] {
                total = total.checked_add(it.amount)?;
                for b in it.rem {
                    patient = patient.checked_add(b)?;
                }
                for (li, p) in it.paid.iter().enumerate() {
                    if !p.is_zero() {
                        let e = paid_by
                            .entry(self.layers[li].layer.id.clone())
                            .or_insert(Money::ZERO);
                        *e = e.checked_add(*p)?;
                    }
                }
            }
            enc_results.push(EncounterResult {
                input_index: ei,
                date: enc.date,
                label: enc.label.clone(),
                total,
                paid_by,
                patient,
                admission,
                policy_year: ystart,
            });
        }

        self.finish(items, tallies, enc_results)
    }

    fn finish(
        mut self,
        items: Vec<ItemState>,
        tallies: Vec<LayerTally>,
        encounters: Vec<EncounterResult>,
    ) -> Result<(Estimate, Vec<UndecidedLayer>), Error> {
        let mut total = Money::ZERO;
        let mut rem = [Money::ZERO; 4];
        let mut item_results = Vec::with_capacity(items.len());
        for it in &items {
            total = total.checked_add(it.amount)?;
            let mut patient = Money::ZERO;
            for (k, r) in it.rem.iter().enumerate() {
                rem[k] = rem[k].checked_add(*r)?;
                patient = patient.checked_add(*r)?;
            }
            let mut sum = patient;
            for p in &it.paid {
                sum = sum.checked_add(*p)?;
            }
            if sum != it.amount || it.rem.iter().any(|m| m.is_negative()) {
                return Err(Error::new(
                    ErrorCode::Internal,
                    "$",
                    "an item's payments do not add up to its amount; please report this case",
                ));
            }
            item_results.push(ItemResult {
                encounter: it.enc,
                index: it.index,
                class: it.class,
                amount: it.amount,
                buckets: Buckets::from_array(it.billed),
                paid_by: it.paid.clone(),
                patient,
            });
        }
        let mut layers = Vec::new();
        let mut covered = Money::ZERO;
        let mut undecided = Vec::new();
        for (li, t) in tallies.into_iter().enumerate() {
            let lr = self.layers[li];
            covered = covered.checked_add(t.paid)?;
            let name = &lr.layer.name;
            let open = if let Some(what) = &t.no_rules {
                Some(("no_rules", None, what.clone()))
            } else if let Some((input, reason)) = &t.needs {
                Some(("needs_information", Some(input.clone()), reason.clone()))
            } else {
                t.out_of_area
                    .as_ref()
                    .map(|w| ("out_of_area", None, w.clone()))
            };
            if let Some((status, input, what)) = open {
                undecided.push(UndecidedLayer {
                    li,
                    status,
                    input,
                    what,
                    paid: t.paid,
                    used_floor: t.used_floor,
                });
            }
            if let Some(what) = &t.out_of_area {
                self.warn("out_of_area_national_rule", what.clone(), None);
            }
            let outcome = if t.eligible_somewhere && !t.paid.is_zero() {
                if let Some(what) = &t.no_rules {
                    self.warn(
                        "no_rules",
                        text(
                            format!("{}：部分就医没有收录的规则，未计入——{}", name.zh, what.zh),
                            format!(
                                "{}: part of the care has no rules here and was not counted: {}",
                                name.en, what.en
                            ),
                        ),
                        None,
                    );
                } else if let Some((input, reason)) = &t.needs {
                    self.warn(
                        "needs_information",
                        text(
                            format!(
                                "{}：部分待遇需要更多信息（{}）才能计算：{}",
                                name.zh, input, reason.zh
                            ),
                            format!(
                                "{}: part of it needs more information ({}) to compute: {}",
                                name.en, input, reason.en
                            ),
                        ),
                        Some(input.clone()),
                    );
                }
                Outcome::Eligible
            } else if let Some(missing) = t.no_rules {
                Outcome::NoRules {
                    missing,
                    ask: ask_about(lr.layer.kind),
                }
            } else if let Some((input, reason)) = t.needs {
                Outcome::NeedsInformation { input, reason }
            } else if t.eligible_somewhere {
                Outcome::Eligible
            } else if let Some((reason, sources)) = t.ineligible {
                Outcome::Ineligible { reason, sources }
            } else if let Some(reason) = t.not_enrolled {
                Outcome::NotEnrolled { reason }
            } else {
                Outcome::Ineligible {
                    reason: text("不符合条件", "not eligible"),
                    sources: Vec::new(),
                }
            };
            layers.push(LayerResult {
                id: lr.layer.id.clone(),
                kind: lr.layer.kind,
                name: lr.layer.name.clone(),
                pack: lr.pack.id.clone(),
                rules_as_of: lr.pack.rules_as_of,
                paid: t.paid,
                outcome,
                premium: lr.layer.enrolment.as_ref().and_then(|e| e.premium),
                documents: lr.layer.documents.clone(),
                settlements: t.settlements,
            });
        }
        let patient_total = total.checked_sub(covered)?;
        let in_scope = rem[0].checked_add(rem[1])?;
        let out_of_scope = rem[2].checked_add(rem[3])?;
        if in_scope.checked_add(out_of_scope)? != patient_total {
            return Err(Error::new(ErrorCode::Internal, "$", "layer payments and the family's share do not add up to the total; please report this case"));
        }
        // Low-grade sources behind the numbers deserve a word.
        let weak: Vec<String> = self
            .sources
            .iter()
            .filter(|(_, s)| s.grade >= Grade::C)
            .map(|(k, s)| format!("{k} ({:?})", s.grade))
            .collect();
        if !weak.is_empty() {
            self.warn(
                "low_grade_source",
                text(
                    format!("部分规则来自非官方来源（等级 C/D），请向当地医保部门核实：{}", weak.join("，")),
                    format!("Some rules come from unofficial sources (grade C/D); check them with the local medical insurance bureau: {}", weak.join(", ")),
                ),
                None,
            );
        }
        let mut packs: Vec<PackStamp> = Vec::new();
        for lr in &self.layers {
            if !packs.iter().any(|p| p.id == lr.pack.id) {
                packs.push(PackStamp::of(lr.pack));
            }
        }
        if !packs.iter().any(|p| p.id == self.region.id) {
            packs.insert(0, PackStamp::of(self.region));
        }
        let estimate = Estimate {
            engine_version: crate::ENGINE_VERSION.to_string(),
            packs,
            total,
            covered,
            patient: PatientShare {
                total: patient_total,
                in_scope,
                out_of_scope,
                by_bucket: Buckets::from_array(rem),
            },
            range: None,
            layers,
            encounters,
            items: item_results,
            warnings: self.warnings,
            sources: self.sources,
        };
        Ok((estimate, undecided))
    }

    fn eligibility(&self, lr: LayerRef, facts: &Facts, edition: &Edition) -> Eligibility {
        let layer = lr.layer;
        if let Some(since) = lr.since {
            if facts.date < since {
                return Eligibility::No(
                    text(
                        format!("患者 {since} 才加入该项目"),
                        format!("the patient joined the programme only on {since}"),
                    ),
                    false,
                );
            }
        }
        if let Some(st) = &layer.status {
            if let Some(end) = st.ended_on {
                if facts.date >= end {
                    return Eligibility::No(
                        text(
                            format!("该项目已于 {end} 结束"),
                            format!("the programme ended on {end}"),
                        ),
                        false,
                    );
                }
            }
            if let Some(closed) = st.closed_to_new_from {
                if facts.date >= closed {
                    match lr.since {
                        Some(s) if s < closed => {}
                        Some(_) => {
                            return Eligibility::No(
                                text(
                                    format!("该项目自 {closed} 起不再接受新患者"),
                                    format!(
                                        "the programme has not accepted new patients since {closed}"
                                    ),
                                ),
                                false,
                            )
                        }
                        None => {
                            let input = match lr.programme_path {
                                Some(i) => format!("programmes[{i}].since"),
                                None => "programmes.since".to_string(),
                            };
                            return Eligibility::Needs(
                                input,
                                text(
                                    format!("该项目自 {closed} 起不再接受新患者；需知道患者何时加入"),
                                    format!("the programme has not accepted new patients since {closed}; when did the patient join?"),
                                ),
                            );
                        }
                    }
                }
            }
        }
        if layer.enrolment.is_some() && !facts.member.enrolments.contains(&layer.id) {
            return Eligibility::NotEnrolled(text(
                format!("未参加{}", layer.name.zh),
                format!("not enrolled in {}", layer.name.en),
            ));
        }
        for req in &layer.requires {
            match req.when.eval(facts) {
                Truth::Yes => {}
                Truth::No => return Eligibility::No(req.reason.clone(), true),
                Truth::Unknown(input) => {
                    return Eligibility::Needs(input.to_string(), req.reason.clone())
                }
            }
        }
        if let Some(g) = edition.effective.gaps.iter().find(|g| g.blocking) {
            return Eligibility::NoRules(g.what.clone());
        }
        Eligibility::Yes
    }

    #[allow(clippy::too_many_arguments)]
    fn settle_benefit(
        &mut self,
        ctx: &BenefitCtx<'a, '_>,
        items: &mut [ItemState<'a>],
        year: &mut YearState<'a>,
        enc_caps: &mut VecMap<(CapKey<'a>, CapOn), Ratio>,
        notes: &VecMap<&'a str, EncounterLayerNote>,
        note: &mut EncounterLayerNote,
    ) -> Result<BenefitResult, Error> {
        let b = ctx.benefit;
        let bi = Some(ctx.bi as u16);
        let ptr = |part: &'static str| Pointer {
            benefit: bi,
            part,
            index: None,
        };
        let mut steps = Vec::with_capacity(8);

        // 1. Base: weighted buckets of the items this benefit sees.
        // item, bucket, weight in fen·ppm
        let mut cells: Vec<(usize, usize, i128)> = Vec::with_capacity(ctx.range.len() * 2);
        let mut parts = [0i128; 4];
        let above_cap = b.base.above_cap_of.as_deref();
        let mut base = if let Some(src) = above_cap {
            let Some(n) = notes.get(&src) else {
                return Ok(BenefitResult::NotApplicable);
            };
            // The cost above the earlier layer's cap is in-scope cost of the items this benefit
            // sees; the payment is taken from their in-scope remainder.
            for ii in ctx.range.clone() {
                let w = items[ii].rem[0].fen() as i128 * PPM as i128;
                if w > 0 && item_matches(&b.items, items[ii].code) {
                    cells.push((ii, 0, w));
                }
            }
            n.above_cap
        } else {
            let mut sum: i128 = 0;
            for ii in ctx.range.clone() {
                let it = &items[ii];
                if !item_matches(&b.items, it.code) {
                    continue;
                }
                for bucket in Bucket::ALL {
                    let w = b.base.buckets.weight(bucket);
                    if w.ppm() == 0 {
                        continue;
                    }
                    // As billed: the share is of the price, and the payment is then limited to what
                    // is left of the bucket.
                    let amount = if b.base.as_billed {
                        it.billed[bucket.index()]
                    } else {
                        it.rem[bucket.index()]
                    };
                    let cw = amount.fen() as i128 * w.ppm() as i128;
                    if cw > 0 {
                        cells.push((ii, bucket.index(), cw));
                        parts[bucket.index()] += cw;
                        sum += cw;
                    }
                }
            }
            Ratio::new(sum, PPM as i128)
        };
        let mut excluded = None;
        if !b.base.exclude_deductible_of.is_empty() {
            let mut ex = Ratio::ZERO;
            for l in &b.base.exclude_deductible_of {
                if let Some(n) = notes.get(&l.as_str()) {
                    ex = ex.checked_add(n.deductible_applied)?;
                }
            }
            let ex = ex.min(base);
            base = base.checked_sub(ex)?;
            excluded = Some(Exact(ex));
        }
        steps.push(Step::Base {
            amount: Exact(base),
            parts: if above_cap.is_some() {
                vec![]
            } else {
                Bucket::ALL
                    .iter()
                    .filter(|bk| parts[bk.index()] > 0)
                    .map(|bk| BasePart {
                        bucket: *bk,
                        weight: b.base.buckets.weight(*bk),
                        amount: Exact(Ratio::new(parts[bk.index()], PPM as i128)),
                    })
                    .collect()
            },
            above_cap_of: above_cap.map(str::to_string),
            excluded_deductible: excluded,
        });
        if (cells.is_empty() || !base.is_positive()) && b.lump_sum.is_none() {
            return Ok(BenefitResult::NotApplicable);
        }

        let facts = ctx.facts;
        let acc_key = (ctx.li, b.id.as_str());

        // Lump sums: once a year, limited to what is left.
        if let Some(lump) = b.lump_sum {
            let acc = year.benefits.entry_default(acc_key);
            if acc.lump_paid || cells.is_empty() {
                return Ok(BenefitResult::NotApplicable);
            }
            let pays = lump.exact().min(base);
            acc.lump_paid = true;
            steps.push(Step::LumpSum {
                amount: lump,
                pays: Exact(pays),
            });
            return self
                .pay(ctx, items, year, &cells, pays, steps)
                .map(BenefitResult::Paid);
        }

        // 2. The share the patient pays first (unfiled out-of-region care and the like).
        if let Some(fp) = &b.first_pay {
            match fp.pick(facts) {
                Pick::Value(r, _) if r.ppm() > 0 => {
                    let first = base.times(*r)?;
                    base = base.checked_sub(first)?;
                    let pointer = ptr("firstPay");
                    let (source, note) = self.provenance(ctx, pointer);
                    steps.push(Step::FirstPay {
                        rate: *r,
                        amount: Exact(first),
                        pointer,
                        source,
                        note,
                    });
                }
                Pick::Value(..) | Pick::NoMatch => {}
                other => {
                    if let Some(m) = Option::<Missing>::from(other) {
                        return Ok(self.needs(m, ctx));
                    }
                }
            }
        }

        // 3. Deductible.
        let mut applied = Ratio::ZERO;
        if let Some(d) = &b.deductible {
            let amount = match self.deductible_amount(d, facts, ctx.admission, ctx.days)? {
                Ok(a) => a,
                Err(m) => return Ok(self.needs(m, ctx)),
            };
            let mut offset = Ratio::ZERO;
            if !d.offset_by.is_empty() {
                let mut seen = Vec::new();
                for &(ii, _, _) in &cells {
                    if seen.contains(&ii) {
                        continue;
                    }
                    seen.push(ii);
                    for (lj, lr) in self.layers.iter().enumerate() {
                        if d.offset_by.contains(&lr.layer.id) {
                            offset = offset.checked_add(items[ii].paid[lj].exact())?;
                        }
                    }
                }
            }
            // A pooled deductible is one threshold met by several benefits together.
            let acc: &mut DeductibleAcc = match d.pool.as_deref() {
                Some(pool) => year.deductible_pools.entry_default(pool),
                None => &mut year.benefits.entry_default(acc_key).deductible,
            };
            let (total_d, met_before) = match d.per {
                Per::Year => {
                    acc.total = if d.highest_level {
                        acc.total.max(amount)
                    } else {
                        amount
                    };
                    acc.met = acc.met.checked_add(offset)?;
                    (acc.total, acc.met)
                }
                Per::Encounter => (amount, offset),
            };
            let remaining = total_d.exact().checked_sub(met_before)?.max(Ratio::ZERO);
            applied = remaining.min(base);
            if d.per == Per::Year {
                acc.met = acc.met.checked_add(applied)?;
            }
            note.deductible_applied = note.deductible_applied.checked_add(applied)?;
            let (source, pnote) = self.provenance(ctx, ptr("deductible"));
            steps.push(Step::Deductible {
                amount: total_d,
                per: d.per,
                met_before: Exact(met_before.min(total_d.exact())),
                applied: Exact(applied),
                admission: if d.later_admissions.is_some() && ctx.admission > 1 {
                    Some(ctx.admission)
                } else {
                    None
                },
                offset: if offset.is_zero() {
                    None
                } else {
                    Some(Exact(offset))
                },
                pointer: ptr("deductible"),
                source,
                note: pnote,
            });
        }
        let mut payable = base.checked_sub(applied)?;

        // 4. Where this slice sits on the year's cumulative axis.
        let (start_gross, start_net) = {
            let acc = year.benefits.entry_default(acc_key);
            (acc.cum_base.checked_add(applied)?, acc.cum_payable)
        };

        // 5. Caps on the cost entering the rate step.
        let all_caps: Vec<(CapKey<'a>, &'a Cap, Pointer)> = self.caps_for(ctx);
        for (key, cap, cptr) in &all_caps {
            if cap.on != CapOn::Cost {
                continue;
            }
            let limit = match self.cap_limit(cap, facts) {
                Ok(Some(l)) => l,
                Ok(None) => continue,
                Err(m) => return Ok(self.needs(m, ctx)),
            };
            let store = if cap.per == Per::Year {
                &mut year.caps
            } else {
                &mut *enc_caps
            };
            let used = *store.get(&(*key, CapOn::Cost)).unwrap_or(&Ratio::ZERO);
            let room = limit.exact().checked_sub(used)?.max(Ratio::ZERO);
            if payable.cmp_exact(room) == std::cmp::Ordering::Greater {
                let removed = payable.checked_sub(room)?;
                note.above_cap = note.above_cap.checked_add(removed)?;
                let (source, note) = self.provenance(ctx, *cptr);
                steps.push(Step::CostCap {
                    limit,
                    per: cap.per,
                    used_before: Exact(used),
                    removed: Exact(removed),
                    pointer: *cptr,
                    source,
                    note,
                });
                payable = room;
            }
        }
        // Only caps that apply to this member and encounter count what was paid: a cap that
        // is `null` here (removed for this group) must not use up a pool others share.
        for (key, cap, _) in &all_caps {
            if cap.on == CapOn::Cost && matches!(self.cap_limit(cap, facts), Ok(Some(_))) {
                let store = if cap.per == Per::Year {
                    &mut year.caps
                } else {
                    &mut *enc_caps
                };
                let e = store.entry_default((*key, CapOn::Cost));
                *e = e.checked_add(payable)?;
            }
        }

        // 6. Rate or bands.
        let bands = match self.resolve_bands(&b.rate, facts, bi)? {
            Ok(bs) => bs,
            Err(m) => return Ok(self.needs(m, ctx)),
        };
        let (measure, start) = match &b.rate.bands {
            Some(bs) => (
                Some(bs.measure),
                if bs.measure == Measure::Gross {
                    start_gross
                } else {
                    start_net
                },
            ),
            None => (None, start_net),
        };
        let mut raw = Ratio::ZERO;
        for (i, band) in bands.iter().enumerate() {
            let band_end = bands.get(i + 1).map(|n| n.from);
            let lo = start.max(band.from);
            let hi = match band_end {
                Some(e) => start.checked_add(payable)?.min(e),
                None => start.checked_add(payable)?,
            };
            if hi.cmp_exact(lo) != std::cmp::Ordering::Greater {
                continue;
            }
            let slice = hi.checked_sub(lo)?;
            let pays = slice.times(band.rate)?;
            raw = raw.checked_add(pays)?;
            let (source, note) = self.provenance(ctx, band.pointer);
            steps.push(Step::Band {
                source,
                note,
                measure,
                from: Exact(lo),
                to: Exact(hi),
                base_rate: band.base_rate,
                adjustments: band.adjustments.clone(),
                rate: band.rate,
                pays: Exact(pays),
                pointer: band.pointer,
            });
        }
        {
            let acc = year.benefits.entry_default(acc_key);
            acc.cum_base = acc.cum_base.checked_add(base)?;
            acc.cum_payable = acc.cum_payable.checked_add(payable)?;
        }

        // 7. Caps on the payment.
        let mut pays = raw;
        for (key, cap, cptr) in &all_caps {
            if cap.on != CapOn::Payment {
                continue;
            }
            let limit = match self.cap_limit(cap, facts) {
                Ok(Some(l)) => l,
                Ok(None) => continue,
                Err(m) => return Ok(self.needs(m, ctx)),
            };
            let store = if cap.per == Per::Year {
                &year.caps
            } else {
                &*enc_caps
            };
            let used = *store.get(&(*key, CapOn::Payment)).unwrap_or(&Ratio::ZERO);
            let room = limit.exact().checked_sub(used)?.max(Ratio::ZERO);
            if pays.cmp_exact(room) == std::cmp::Ordering::Greater {
                let reduction = pays.checked_sub(room)?;
                let (source, note) = self.provenance(ctx, *cptr);
                steps.push(Step::Cap {
                    source,
                    note,
                    limit,
                    per: cap.per,
                    on: CapOn::Payment,
                    pool: cap.pool.clone(),
                    used_before: Exact(used),
                    reduction: Exact(reduction),
                    pointer: *cptr,
                });
                pays = room;
            }
        }
        if pays.cmp_exact(raw) == std::cmp::Ordering::Less {
            // The cost beyond the point where the cap was reached is handed to later layers
            // (e.g. 职工大额 above the basic cap).
            let reached = cost_for_payment(&bands, start, pays)?;
            let unpaid = start
                .checked_add(payable)?
                .checked_sub(reached)?
                .max(Ratio::ZERO);
            note.above_cap = note.above_cap.checked_add(unpaid)?;
        }
        // Only caps that apply to this member and encounter count what was paid: a cap that
        // is `null` here (removed for this group) must not use up a pool others share.
        for (key, cap, _) in &all_caps {
            if cap.on == CapOn::Payment && matches!(self.cap_limit(cap, facts), Ok(Some(_))) {
                let store = if cap.per == Per::Year {
                    &mut year.caps
                } else {
                    &mut *enc_caps
                };
                let e = store.entry_default((*key, CapOn::Payment));
                *e = e.checked_add(pays)?;
            }
        }
        self.pay(ctx, items, year, &cells, pays, steps)
            .map(BenefitResult::Paid)
    }

    /// Rounds (cumulatively over the year) and takes the payment out of the cells.
    fn pay(
        &mut self,
        ctx: &BenefitCtx<'a, '_>,
        items: &mut [ItemState<'a>],
        year: &mut YearState<'a>,
        cells: &[(usize, usize, i128)],
        exact: Ratio,
        mut steps: Vec<Step>,
    ) -> Result<Settlement, Error> {
        let acc = year
            .benefits
            .entry_default((ctx.li, ctx.benefit.id.as_str()));
        let before = acc.paid_rounded;
        acc.paid_exact = acc.paid_exact.checked_add(exact)?;
        // The pack says how a settlement is rounded: the change of the year's rounded
        // exact total (cumulative), or this settlement on its own, as a 结算单 prints it.
        acc.paid_rounded = match ctx.lr.pack.rounding {
            Rounding::Cumulative => acc.paid_exact.round_half_up()?,
            Rounding::PerSettlement => before.checked_add(exact.round_half_up()?)?,
        };
        let mut rounded = acc.paid_rounded.checked_sub(before)?;
        if rounded.is_negative() {
            rounded = Money::ZERO;
        }
        let capacity: i64 = cells
            .iter()
            .map(|&(ii, bk, _)| items[ii].rem[bk].fen())
            .sum();
        if rounded.fen() > capacity {
            rounded = Money::from_fen(capacity);
        }
        let rounded = allocate(items, cells, rounded, ctx.li)?;
        steps.push(Step::Rounding {
            exact: Exact(exact),
            rounded,
        });
        Ok(Settlement {
            encounter: 0,
            benefit: ctx.benefit.id.clone(),
            name: ctx.benefit.name.clone(),
            paid: rounded,
            edition: EditionRef {
                from: ctx.edition.effective.from,
                until: None,
                sources: std::sync::Arc::from([]),
            },
            steps,
        })
    }

    fn needs(&mut self, missing: Missing, ctx: &BenefitCtx) -> BenefitResult {
        let n = benefit_name(ctx.lr.layer, ctx.benefit);
        let input = match missing {
            Missing::Input(i) => i.to_string(),
            Missing::Gap(what) => {
                return BenefitResult::NoRules(text(
                    format!("{}：{}", n.zh, what.zh),
                    format!("{}: {}", n.en, what.en),
                ))
            }
        };
        BenefitResult::Needs(
            input,
            text(
                format!("{} 的计算需要此项信息", n.zh),
                format!("{} needs this to be computed", n.en),
            ),
        )
    }

    /// The provenance entry for a parameter: the most specific one whose field is the
    /// pointer, contains it, or lies inside it (matching whole path segments).
    fn provenance(
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
                let source = p
                    .source
                    .as_ref()
                    .map(|s| self.cite(ctx.lr.pack, std::slice::from_ref(s)).remove(0));
                (source, p.note.clone())
            }
            None => (None, None),
        }
    }

    fn deductible_amount(
        &mut self,
        d: &Deductible,
        facts: &Facts,
        admission: u32,
        days: Option<u32>,
    ) -> Result<Result<Money, Missing>, Error> {
        let base = match d.amount.pick(facts) {
            Pick::Value(v, _) => match v.resolve(facts.lines) {
                Ok(m) => m,
                Err(line) => return Ok(Err(missing_line(line))),
            },
            Pick::NoMatch => return Ok(Ok(Money::ZERO)),
            other => {
                return Ok(Err(
                    Option::<Missing>::from(other).unwrap_or(Missing::Input("pack"))
                ))
            }
        };
        // A long stay is charged again for every `repeat_every_days` days (广州: 90).
        let base = match (d.repeat_every_days, days) {
            (Some(n), Some(days)) if n > 0 && days > n => {
                let times = days.div_ceil(n) as i64;
                Money::from_fen(base.fen().checked_mul(times).ok_or_else(Error::overflow)?)
            }
            _ => base,
        };
        let Some(later) = &d.later_admissions else {
            return Ok(Ok(base));
        };
        if admission <= 1 {
            return Ok(Ok(base));
        }
        if later.none_from.is_some_and(|n| admission >= n) {
            return Ok(Ok(Money::ZERO));
        }
        let mut amount = base;
        if let Some(m) = later.multiply {
            amount = amount.exact().times(m)?.round_half_up()?;
        }
        if let Some(step) = later.step_down {
            let down = Money::from_fen(step.fen().saturating_mul(admission as i64 - 1));
            amount = amount.saturating_sub_floor0(down);
        }
        if let Some(floor) = &later.floor {
            match floor.pick(facts) {
                Pick::Value(f, _) => match f.resolve(facts.lines) {
                    Ok(f) => amount = amount.max(f.min(base)),
                    Err(line) => return Ok(Err(missing_line(line))),
                },
                Pick::NoMatch => {}
                other => {
                    return Ok(Err(
                        Option::<Missing>::from(other).unwrap_or(Missing::Input("pack"))
                    ))
                }
            }
        }
        Ok(Ok(amount))
    }

    fn cap_limit(&self, cap: &Cap, facts: &Facts) -> Result<Option<Money>, Missing> {
        match cap.amount.pick(facts) {
            Pick::Value(Limit(None), _) | Pick::NoMatch => Ok(None),
            Pick::Value(Limit(Some(a)), _) => {
                a.resolve(facts.lines).map(Some).map_err(missing_line)
            }
            other => Err(Option::<Missing>::from(other).unwrap_or(Missing::Input("pack"))),
        }
    }

    fn caps_for(&self, ctx: &BenefitCtx<'a, '_>) -> Vec<(CapKey<'a>, &'a Cap, Pointer)> {
        let mut v = Vec::new();
        let b: &'a Benefit = ctx.benefit;
        for (ci, cap) in b.caps.iter().enumerate() {
            let key = match &cap.pool {
                Some(p) => CapKey::Pool(p.as_str()),
                None => CapKey::Benefit(ctx.li, b.id.as_str(), ci),
            };
            v.push((
                key,
                cap,
                Pointer {
                    benefit: Some(ctx.bi as u16),
                    part: "caps",
                    index: Some(ci as u16),
                },
            ));
        }
        let e: &'a Edition = ctx.edition;
        for (ci, cap) in e.caps.iter().enumerate() {
            let key = match &cap.pool {
                Some(p) => CapKey::Pool(p.as_str()),
                None => CapKey::Layer(ctx.li, ci),
            };
            v.push((
                key,
                cap,
                Pointer {
                    benefit: None,
                    part: "caps",
                    index: Some(ci as u16),
                },
            ));
        }
        v
    }

    fn resolve_bands(
        &mut self,
        rule: &RateRule,
        facts: &Facts,
        bi: Option<u16>,
    ) -> Result<Result<Vec<ResolvedBand>, Missing>, Error> {
        let mut out = Vec::new();
        let raw: Vec<(Ratio, &Choice<Rate>, Pointer)> = match (&rule.flat, &rule.bands) {
            (Some(flat), _) => vec![(
                Ratio::ZERO,
                flat,
                Pointer {
                    benefit: bi,
                    part: "rate/flat",
                    index: None,
                },
            )],
            (None, Some(bands)) => bands
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    (
                        s.from.exact(),
                        &s.rate,
                        Pointer {
                            benefit: bi,
                            part: "rate/bands/steps",
                            index: Some(i as u16),
                        },
                    )
                })
                .collect(),
            (None, None) => return Ok(Ok(vec![])),
        };
        for (from, choice, pointer) in raw {
            let base_rate = match choice.pick(facts) {
                Pick::Value(r, _) => *r,
                Pick::NoMatch => Rate::ZERO,
                other => {
                    return Ok(Err(
                        Option::<Missing>::from(other).unwrap_or(Missing::Input("pack"))
                    ))
                }
            };
            let mut rate = base_rate;
            let mut adjustments = Vec::new();
            for adj in &rule.adjustments {
                match adj.when.eval(facts) {
                    Truth::No => continue,
                    Truth::Unknown(i) => return Ok(Err(Missing::Input(i))),
                    Truth::Yes => {}
                }
                let before = rate;
                let mut ppm = rate.ppm() as i64;
                if let Some(p) = adj.points {
                    ppm += p.0;
                }
                if let Some(f) = adj.self_share_factor {
                    let self_share = PPM as i64 - ppm.clamp(0, PPM as i64);
                    ppm = PPM as i64 - (self_share * f.ppm() as i64 + PPM as i64 / 2) / PPM as i64;
                }
                if let Some(per_year) = adj.per_year_of_age {
                    match facts.member.age_on(facts.date) {
                        Some(age) => ppm += per_year.0 * age as i64,
                        None => return Ok(Err(Missing::Input("member.age"))),
                    }
                }
                if let Some(fl) = adj.floor {
                    ppm = ppm.max(fl.ppm() as i64);
                }
                if let Some(c) = adj.ceiling {
                    ppm = ppm.min(c.ppm() as i64);
                }
                rate = Rate::from_ppm(ppm.clamp(0, PPM as i64) as u32);
                adjustments.push(AppliedAdjustment {
                    before,
                    after: rate,
                    reason: adj.reason.clone(),
                });
            }
            if let Some(cut) = &self.cut {
                let before = rate;
                rate = Rate::from_ppm((rate.ppm() as i64 - cut.points).clamp(0, PPM as i64) as u32);
                adjustments.push(AppliedAdjustment {
                    before,
                    after: rate,
                    reason: Some(cut.reason.clone()),
                });
            }
            out.push(ResolvedBand {
                from,
                base_rate,
                rate,
                adjustments,
                pointer,
            });
        }
        Ok(Ok(out))
    }
}

struct ResolvedBand {
    from: Ratio,
    base_rate: Rate,
    rate: Rate,
    adjustments: Vec<AppliedAdjustment>,
    pointer: Pointer,
}

/// The point on the axis (from `start`) at which the bands have paid `target`.
fn cost_for_payment(bands: &[ResolvedBand], start: Ratio, target: Ratio) -> Result<Ratio, Error> {
    let mut left = target;
    let mut pos = start;
    for (i, band) in bands.iter().enumerate() {
        let end = bands.get(i + 1).map(|n| n.from);
        if let Some(e) = end {
            if e.cmp_exact(pos) != std::cmp::Ordering::Greater {
                continue;
            }
        }
        pos = pos.max(band.from);
        if band.rate.ppm() == 0 {
            match end {
                Some(e) => {
                    pos = e;
                    continue;
                }
                None => return Ok(pos),
            }
        }
        let need = left.checked_div(band.rate.exact())?;
        match end {
            Some(e) if pos.checked_add(need)?.cmp_exact(e) == std::cmp::Ordering::Greater => {
                left = left.checked_sub(e.checked_sub(pos)?.times(band.rate)?)?;
                pos = e;
            }
            _ => return pos.checked_add(need),
        }
    }
    Ok(pos)
}

/// Takes `amount` fen out of the buckets the cells name: bucket by bucket in a fixed order —
/// in-scope, then 乙类 first pay, then over-limit, then out-of-catalogue — and within a bucket
/// across items in proportion to what each has left (largest remainder).
///
/// The order is why a later layer that weights buckets differently (惠绵保 counts 乙类 first
/// pay at 50%) sees the same buckets however a bill is split or rounded: an earlier layer
/// that covers both in-scope cost and first pay uses up the in-scope remainder first, as the
/// settlement sheets in the published examples show (WE-12: the 30,000 first pay is still
/// there after basic insurance and 大病 paid).
fn allocate(
    items: &mut [ItemState],
    cells: &[(usize, usize, i128)],
    amount: Money,
    li: usize,
) -> Result<Money, Error> {
    let mut left = amount.fen();
    // (cell index, share, remainder) for the bucket being taken from; reused across buckets.
    let mut shares: Vec<(usize, i64, i128)> = Vec::with_capacity(cells.len());
    for bucket in 0..4 {
        if left <= 0 {
            break;
        }
        // Cells name each (item, bucket) at most once.
        let avail: i64 = cells
            .iter()
            .filter(|c| c.1 == bucket)
            .map(|c| items[c.0].rem[bucket].fen())
            .sum();
        if avail <= 0 {
            continue;
        }
        let take = left.min(avail);
        shares.clear();
        let mut given = 0i64;
        for (k, c) in cells.iter().enumerate().filter(|(_, c)| c.1 == bucket) {
            let num = (take as i128)
                .checked_mul(items[c.0].rem[bucket].fen() as i128)
                .ok_or_else(Error::overflow)?;
            let q = (num / avail as i128) as i64;
            given += q;
            shares.push((k, q, num % avail as i128));
        }
        let extra = (take - given).max(0) as usize;
        if extra > 0 {
            shares.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            for s in shares.iter_mut().take(extra) {
                s.1 += 1;
            }
        }
        for &(k, q, _) in &shares {
            if q == 0 {
                continue;
            }
            let it = &mut items[cells[k].0];
            it.rem[bucket] = it.rem[bucket].checked_sub(Money::from_fen(q))?;
            it.paid[li] = it.paid[li].checked_add(Money::from_fen(q))?;
        }
        left -= take;
    }
    // What was taken: less than asked only when the buckets hold less (e.g. two donation
    // programmes on the same drug); the caller reports what was taken, so every fen paid is
    // a fen some bucket gave.
    Ok(Money::from_fen(amount.fen() - left.max(0)))
}

/// Applies a donation pattern to one item.
fn donate<'a>(
    don: &Donation,
    st: &mut DonationState,
    item: &mut ItemState<'a>,
    li: usize,
    date: Date,
    facts: &Facts,
    code: &str,
) -> Result<Option<Settlement>, Error> {
    let units = item.quantity.max(1);
    if item.amount.is_zero() {
        return Ok(None);
    }
    let first = *st.first.get_or_insert(date);
    let expired = don.max_months.is_some_and(|m| date >= first.add_months(m));
    let all_free = !expired
        && don
            .all_free_when
            .as_ref()
            .is_some_and(|c| c.eval(facts) == Truth::Yes);
    let before = st.units;
    let free = if expired {
        0
    } else if all_free {
        units as u64
    } else {
        free_units(don, before + units as u64) - free_units(don, before)
    };
    st.units += units as u64;
    if free == 0 {
        return Ok(None);
    }
    let exact = item
        .amount
        .exact()
        .checked_mul(Ratio::new(free as i128, units as i128))?;
    let prev = st.paid_rounded;
    st.paid_exact = st.paid_exact.checked_add(exact)?;
    st.paid_rounded = st.paid_exact.round_half_up()?;
    let rounded = st.paid_rounded.checked_sub(prev)?.min(item.amount);
    let cells: Vec<(usize, usize, i128)> = (0..4)
        .filter(|&k| item.rem[k].fen() > 0)
        .map(|k| (0usize, k, item.rem[k].fen() as i128))
        .collect();
    // Units another programme already donated are not there to donate again.
    let rounded = allocate(std::slice::from_mut(item), &cells, rounded, li)?;
    if rounded.is_zero() {
        return Ok(None);
    }
    Ok(Some(Settlement {
        encounter: 0,
        benefit: String::new(),
        name: None,
        paid: rounded,
        edition: EditionRef {
            from: date,
            until: None,
            sources: std::sync::Arc::from([]),
        },
        steps: vec![
            Step::Donation {
                code: code.to_string(),
                units,
                free_units: free as u32,
                units_before: before,
                all_free,
                amount: Exact(exact),
            },
            Step::Rounding {
                exact: Exact(exact),
                rounded,
            },
        ],
    }))
}

/// How many of the first `n` units of a course are donated.
fn free_units(don: &Donation, n: u64) -> u64 {
    let mut left = n;
    let mut free = 0u64;
    let rounds = &don.rounds;
    for (i, r) in rounds.iter().enumerate() {
        let period = r.paid as u64 + r.free as u64;
        if period == 0 {
            continue;
        }
        let last = i + 1 == rounds.len();
        if last && don.repeat_last {
            let full = left / period;
            let rest = left % period;
            return free + full * r.free as u64 + rest.saturating_sub(r.paid as u64);
        }
        if left <= period {
            return free + left.saturating_sub(r.paid as u64);
        }
        free += r.free as u64;
        left -= period;
    }
    free
}

/// The latest edition that starts on or before `date`.
fn last_edition_by(editions: &[Edition], date: Date) -> Option<&Edition> {
    editions
        .iter()
        .filter(|e| e.effective.from <= date)
        .max_by_key(|e| e.effective.from)
}

/// Whether any condition of an edition tests locality, filing or referral (then its own
/// rules decide 异地 care).
fn edition_mentions_locality(edition: &Edition) -> bool {
    fn choice<T>(c: &Choice<T>) -> bool {
        match c {
            Choice::One(_) => false,
            Choice::Table(rows) => rows
                .iter()
                .any(|r| r.when.as_ref().is_some_and(Condition::mentions_locality)),
        }
    }
    let caps = |caps: &[Cap]| caps.iter().any(|c| choice(&c.amount));
    caps(&edition.caps)
        || edition.benefits.iter().any(|b| {
            b.when.mentions_locality()
                || b.first_pay.as_ref().is_some_and(choice)
                || b.deductible.as_ref().is_some_and(|d| choice(&d.amount))
                || b.rate.flat.as_ref().is_some_and(choice)
                || b.rate
                    .bands
                    .as_ref()
                    .is_some_and(|bands| bands.steps.iter().any(|s| choice(&s.rate)))
                || b.rate
                    .adjustments
                    .iter()
                    .any(|a| a.when.mentions_locality())
                || caps(&b.caps)
        })
}

/// Where a family can ask about a layer the product holds no rules for.
fn ask_about(kind: LayerKind) -> Text {
    match kind {
        LayerKind::Commercial => text(
            "请咨询该保险产品的客服热线，或查看保单条款",
            "ask the product's customer-service line, or read the policy terms",
        ),
        LayerKind::Charity | LayerKind::Donation => text(
            "请咨询该项目的执行机构（项目热线或医院的项目医生）",
            "ask the programme's operator (its hotline or the programme doctor at the hospital)",
        ),
        _ => text(
            "请到参保地医保经办窗口咨询，或拨打医保服务热线 12393",
            "ask at the medical insurance office (医保窗口) where you are insured, or call the 12393 hotline",
        ),
    }
}

fn item_matches(f: &ItemFilter, code: Option<&str>) -> bool {
    if !f.codes.is_empty() && !code.is_some_and(|c| f.codes.iter().any(|x| x == c)) {
        return false;
    }
    !code.is_some_and(|c| f.exclude_codes.iter().any(|x| x == c))
}

fn benefit_name(layer: &Layer, b: &Benefit) -> Text {
    b.name.clone().unwrap_or_else(|| layer.name.clone())
}

fn pct(r: Rate) -> String {
    crate::money::format_ppm(r.ppm() as i64 * 100) + "%"
}

enum Eligibility {
    Yes,
    /// Excluded; `true` when a rule of the layer (its `requires`) says so.
    No(Text, bool),
    NotEnrolled(Text),
    Needs(String, Text),
    NoRules(Text),
}

enum BenefitResult {
    Paid(Settlement),
    Needs(String, Text),
    NoRules(Text),
    NotApplicable,
}

/// Why a value could not be found: an input the case does not give, or a value no source
/// gives (a gap row in the pack, or a reference line the pack lacks).
enum Missing {
    Input(&'static str),
    Gap(Text),
}

impl<'a, T> From<Pick<'a, T>> for Option<Missing> {
    fn from(p: Pick<'a, T>) -> Option<Missing> {
        match p {
            Pick::Unknown(i) => Some(Missing::Input(i)),
            Pick::Gap(t) => Some(Missing::Gap(t.clone())),
            _ => None,
        }
    }
}

fn missing_line(line: &str) -> Missing {
    Missing::Gap(text(
        format!("本地区资料没有参考标准“{line}”的数值"),
        format!("the pack gives no value for the reference line \"{line}\""),
    ))
}

struct BenefitCtx<'a, 'f> {
    li: usize,
    bi: usize,
    lr: LayerRef<'a>,
    edition: &'a Edition,
    benefit: &'a Benefit,
    facts: &'f Facts<'f>,
    admission: u32,
    days: Option<u32>,
    range: std::ops::Range<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn don(rounds: &[(u32, u32)], repeat: bool) -> Donation {
        Donation {
            codes: vec![],
            rounds: rounds
                .iter()
                .map(|&(paid, free)| DonationRound { paid, free })
                .collect(),
            repeat_last: repeat,
            all_free_when: None,
            max_months: None,
        }
    }

    #[test]
    fn donation_patterns_count_free_units() {
        let gipap = don(&[(3, 9)], true);
        assert_eq!(free_units(&gipap, 3), 0);
        assert_eq!(free_units(&gipap, 12), 9);
        assert_eq!(free_units(&gipap, 15), 9);
        assert_eq!(free_units(&gipap, 24), 18);
        let k = don(&[(2, 2), (2, 3)], true);
        assert_eq!(free_units(&k, 4), 2);
        assert_eq!(free_units(&k, 9), 5);
        assert_eq!(free_units(&k, 14), 8);
        let once = don(&[(2, 1)], false);
        assert_eq!(free_units(&once, 3), 1);
        assert_eq!(free_units(&once, 10), 1);
    }
}
