//! Items and buckets: before any layer pays, each bill line is split into the four buckets
//! layers select from — out-of-catalogue (丙类 / 目录外), above the price limit (超限价), the
//! 乙类 share the patient pays first (先行自付), and in-scope cost (政策范围内费用).
//!
//! The rule: DESIGN.md "Buckets" and research notes §0 and §1.4. The 乙类 first-pay ratio is
//! the item's own (`items[].firstPayRatio`) or the region's (`general[].firstPayRatio`); an
//! encounter given as a total is split by its `split` or the region's `typicalSplit`.

use crate::error::{Error, ErrorCode};
use crate::rules::case::{Class, Encounter};
use crate::rules::choice::Pick;
use crate::rules::condition::Facts;
use std::collections::BTreeMap;

use crate::rules::policy::{Bucket, GeneralEdition, ItemFilter, Pack};
use crate::units::date::Date;
use crate::units::money::{Money, Rate, PPM};

use super::{text, Settler};

/// One bill line before it is split into buckets.
struct BillRow<'a> {
    amount: Money,
    class: Class,
    /// The item's own 乙类 first-pay ratio.
    first_pay_ratio: Option<Rate>,
    price_limit: Option<Money>,
    /// The drug or item code special-drug lists and donation programmes match on.
    code: Option<&'a str>,
    quantity: u32,
}

impl BillRow<'_> {
    /// A row of an encounter given as a total: one class, nothing else known.
    fn of_class(amount: Money, class: Class) -> Self {
        BillRow {
            amount,
            class,
            first_pay_ratio: None,
            price_limit: None,
            code: None,
            quantity: 1,
        }
    }
}

/// One item as the layers see it: what was billed in each bucket, what is left, and what
/// each layer paid.
pub(super) struct Item<'a> {
    /// The encounter's position in date order.
    pub enc: usize,
    /// The item's index in its encounter.
    pub index: usize,
    pub class: Class,
    pub code: Option<&'a str>,
    pub quantity: u32,
    pub amount: Money,
    /// By `Bucket::index`.
    pub billed: [Money; 4],
    /// What is left of each bucket after the layers settled so far.
    pub rem: [Money; 4],
    /// By layer index.
    pub paid: PerLayer,
}

/// What each layer paid on one item, by layer index: inline for up to [`PerLayer::INLINE`]
/// layers (the packs and programmes of a case today stay under it), on the heap beyond. Items
/// are built for every estimate; this keeps one allocation per item off the totals path.
pub(super) enum PerLayer {
    Inline(usize, [Money; PerLayer::INLINE]),
    Heap(Vec<Money>),
}

impl PerLayer {
    const INLINE: usize = 8;

    /// Zero for each of `n` layers.
    pub fn zeros(n: usize) -> PerLayer {
        if n <= PerLayer::INLINE {
            PerLayer::Inline(n, [Money::ZERO; PerLayer::INLINE])
        } else {
            PerLayer::Heap(vec![Money::ZERO; n])
        }
    }
}

impl std::ops::Deref for PerLayer {
    type Target = [Money];
    fn deref(&self) -> &[Money] {
        match self {
            PerLayer::Inline(n, a) => &a[..*n],
            PerLayer::Heap(v) => v,
        }
    }
}

impl std::ops::DerefMut for PerLayer {
    fn deref_mut(&mut self) -> &mut [Money] {
        match self {
            PerLayer::Inline(n, a) => &mut a[..*n],
            PerLayer::Heap(v) => v,
        }
    }
}

/// One bucket of one item that a benefit's base draws on: the payment is taken back out of
/// the cells.
#[derive(Clone, Copy)]
pub(super) struct Cell {
    pub item: usize,
    pub bucket: usize,
}

/// Whether a benefit's item filter (`benefits[].items`) lets an item in.
pub(super) fn item_matches(f: &ItemFilter, code: Option<&str>) -> bool {
    if !f.codes.is_empty() && !code.is_some_and(|c| f.codes.iter().any(|x| x == c)) {
        return false;
    }
    !code.is_some_and(|c| f.exclude_codes.iter().any(|x| x == c))
}

impl<'a> Settler<'a> {
    /// Splits every item into buckets, expanding quick totals into class rows.
    pub(super) fn build_items(&mut self, order: &[usize]) -> Result<Vec<Item<'a>>, Error> {
        let mut items = Vec::new();
        let n_layers = self.layers.len();
        for (pos, &ei) in order.iter().enumerate() {
            let enc = &self.case.encounters[ei];
            let general = pick_general(self.region, enc.date);
            let lines = general.map(|g| &g.lines).unwrap_or_else(|| empty_lines());
            let rows = self.bill_rows(enc, general, pos, ei)?;
            for (index, row) in rows.into_iter().enumerate() {
                let mut billed = [Money::ZERO; 4];
                match row.class {
                    Class::C => billed[Bucket::OutOfCatalogue.index()] = row.amount,
                    Class::A | Class::B => {
                        let over = match row.price_limit {
                            Some(l) if row.amount > l => row.amount.checked_sub(l)?,
                            _ => Money::ZERO,
                        };
                        let within = row.amount.checked_sub(over)?;
                        let first = if row.class == Class::B {
                            let ratio = match row.first_pay_ratio {
                                Some(r) => r,
                                None => {
                                    let facts = Facts {
                                        member: &self.case.member,
                                        date: enc.date,
                                        encounter: None,
                                        code: row.code,
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
                                                Some(format!("$.encounters[{ei}].items[{index}].firstPayRatio")),
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
                items.push(Item {
                    enc: pos,
                    index,
                    class: row.class,
                    code: row.code,
                    quantity: row.quantity,
                    amount: row.amount,
                    billed,
                    rem: billed,
                    paid: PerLayer::zeros(n_layers),
                });
            }
        }
        Ok(items)
    }

    /// The bill lines of an encounter (at `pos` in date order, `ei` in the case's list): its
    /// items, or its total split into 甲/乙/丙 rows by its own split or the region's typical one.
    fn bill_rows(
        &mut self,
        enc: &'a Encounter,
        general: Option<&GeneralEdition>,
        pos: usize,
        ei: usize,
    ) -> Result<Vec<BillRow<'a>>, Error> {
        let path = format_args!("$.encounters[{ei}]");
        if !enc.items.is_empty() {
            if enc.total.is_some() {
                return Err(Error::new(
                    ErrorCode::Inconsistent,
                    format!("{path}.total"),
                    "give either items or a total for an encounter, not both",
                ));
            }
            return Ok(enc
                .items
                .iter()
                .map(|it| BillRow {
                    amount: it.amount,
                    class: it.class,
                    first_pay_ratio: it.first_pay_ratio,
                    price_limit: it.price_limit,
                    code: it.code.as_deref(),
                    quantity: it.quantity.unwrap_or(1),
                })
                .collect());
        }
        let Some(total) = enc.total else {
            return Err(Error::new(
                ErrorCode::MissingField,
                format!("{path}.items"),
                "an encounter needs items or a total",
            ));
        };
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
        let sum =
            split.class_a.ppm() as u64 + split.class_b.ppm() as u64 + split.class_c.ppm() as u64;
        if sum != PPM as u64 {
            return Err(Error::new(
                ErrorCode::Inconsistent,
                format!("{path}.split"),
                format!(
                    "the split must sum to 1, but sums to {}",
                    crate::units::money::format_ppm(sum as i64)
                ),
            ));
        }
        let a = total.exact().times(split.class_a)?.round_half_up()?;
        let b = total.exact().times(split.class_b)?.round_half_up()?;
        let c = total.checked_sub(a)?.checked_sub(b)?;
        let c = if c.is_negative() { Money::ZERO } else { c };
        let mut rows = Vec::with_capacity(3);
        for (amount, class) in [(a, Class::A), (b, Class::B), (c, Class::C)] {
            if !amount.is_zero() {
                rows.push(BillRow::of_class(amount, class));
            }
        }
        Ok(rows)
    }
}

/// The region's general edition on `date`: 乙类 first-pay ratios, reference lines, the
/// typical split.
pub(super) fn pick_general(pack: &Pack, date: Date) -> Option<&GeneralEdition> {
    pack.general.iter().find(|g| g.effective.covers(date))
}

/// No reference lines (a region without a general edition on the date).
pub(super) fn empty_lines() -> &'static BTreeMap<String, Money> {
    static EMPTY: std::sync::OnceLock<BTreeMap<String, Money>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(BTreeMap::new)
}

/// A rate as a percentage, for a sentence.
fn pct(r: Rate) -> String {
    crate::units::money::format_ppm(r.ppm() as i64 * 100) + "%"
}
