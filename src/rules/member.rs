//! The member (the patient and household) and the kinds of care (setting, locality) that
//! conditions test: the facts a rule can depend on, apart from the case that carries them, so
//! conditions depend on the member, not on the whole case (which carries a pack of rules).

use serde::{Deserialize, Serialize};
use tiercost_derive::Read;

use crate::units::date::Date;
use crate::units::money::Money;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The patient and household.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Member {
    /// The insurance scheme (`employee` 职工医保, `resident` 城乡居民医保), as the pack names it.
    pub scheme: String,
    /// The member group (`in_service` 在职, `retired` 退休, `adult`, `child`, `student`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Age in whole years (or give `birthDate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Date of birth; the age is then taken on each encounter's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Date>,
    /// When the member retired (some rules differ by retirement date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<Date>,
    /// The medical-assistance category (`minimum_living` 低保, …), or `none`. Unknown when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// People in the household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_size: Option<u32>,
    /// The household's annual income.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_income: Option<Money>,
    /// Whether the patient has a pre-existing condition a commercial product lists (既往症).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_existing: Option<bool>,
    /// Diagnoses (codes or names the packs use, e.g. `lung_cancer`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// Since when the member has held the assistance category (some programmes require it
    /// held for a year, or before the illness).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_since: Option<Date>,
    /// The household's out-of-pocket medical spending over the last 12 months (for
    /// capacity-to-pay tests such as 力比泰's, and for 因病致贫 recognition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medical_spending: Option<Money>,
    /// The household's annual subsistence spending (food, housing…); when absent, the pack's
    /// `subsistence` line × household size is used if the pack has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsistence_spending: Option<Money>,
    /// Consecutive years enrolled without a claim (some 惠民保 lower the deductible).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_free_years: Option<u32>,
    /// Products the member is enrolled in (layer ids, e.g. a city's 惠民保).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enrolments: Vec<String>,
}

impl Member {
    /// The age on `date`, from `birthDate` or `age`.
    pub fn age_on(&self, date: Date) -> Option<u32> {
        match self.birth_date {
            Some(b) => u32::try_from(date.years_since(b)).ok(),
            None => self.age,
        }
    }
}

/// Where care is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// 住院 an admission.
    Inpatient,
    /// 门诊统筹 pooled outpatient care.
    Outpatient,
    /// 门诊慢特病 chronic and special outpatient diseases.
    Chronic,
    /// A pharmacy purchase (双通道 / 定点药店).
    Pharmacy,
}

/// Where, relative to the member's insurance region.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    /// In the insuring city or region.
    #[default]
    InRegion,
    /// Elsewhere in the same province.
    InProvince,
    /// In another province.
    OutOfProvince,
}
