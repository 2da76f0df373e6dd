//! Which rules settle an encounter: the layer's edition in effect on the date of care (an
//! edition's `from`/`until`), with a warning where the rules held have ended or a source is
//! past its `validity`; and, in the run that gives a range's lowest share, the national floor
//! pack's layer standing in where a layer has no rules (DESIGN.md principle 7).

use crate::error::{Error, ErrorCode};
use crate::rules::policy::{Edition, Layer, Staleness};
use crate::units::date::Date;

use super::{text, LayerRef, Settler};

impl<'a> Settler<'a> {
    /// Every encounter must fall inside some edition of some layer (`order`: the encounters
    /// in date order).
    pub(super) fn check_rules_in_effect(&self, order: &[usize]) -> Result<(), Error> {
        for &ei in order {
            let d = self.case.encounters[ei].date;
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
        Ok(())
    }

    /// The floor pack's layer standing in for `layer`, if any.
    pub(super) fn floor_layer(&self, layer: &Layer) -> Option<LayerRef<'a>> {
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
    pub(super) fn edition_on(&mut self, lr: LayerRef<'a>, date: Date) -> Option<&'a Edition> {
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
    pub(super) fn floor_attempt(
        &self,
        layer: &Layer,
        date: Date,
    ) -> Option<(LayerRef<'a>, &'a Edition)> {
        let f = self.floor_layer(layer)?;
        Some((f, last_edition_by(&f.layer.editions, date)?))
    }
}

/// The latest edition that starts on or before `date`.
pub(super) fn last_edition_by(editions: &[Edition], date: Date) -> Option<&Edition> {
    editions
        .iter()
        .filter(|e| e.effective.from <= date)
        .max_by_key(|e| e.effective.from)
}
