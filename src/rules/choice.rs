//! Values chosen by conditions: a parameter is either one value or a table of rows
//! `{ "when": {…}, "value": … }`, the first matching row winning and a last row without
//! `when` serving as the default.

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::reading::read::{At, Obj, Read};
use crate::rules::condition::{Condition, Facts, Truth};
use crate::units::money::Money;
use crate::Error;

/// One value, or a table of values chosen by conditions.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice<T> {
    /// The same value everywhere.
    One(T),
    /// Rows tried in order.
    Table(Vec<Row<T>>),
}

/// A row of a [`Choice`] table: a value, or a `gap` saying that no source gives the value
/// for the members the row matches (they then get "needs information", never a guess).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Row<T> {
    /// When the row applies; absent: always (the default row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// The value (give this or `gap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<T>,
    /// What no source gives, in words (give this or `value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<crate::rules::text::Text>,
}

/// The outcome of choosing.
#[derive(Debug)]
pub enum Pick<'a, T> {
    /// A value was chosen (from the given row, if a table).
    Value(&'a T, Option<usize>),
    /// A row's condition needs an input the case does not give.
    Unknown(&'static str),
    /// The matching row says no source gives the value.
    Gap(&'a crate::rules::text::Text),
    /// No row applies.
    NoMatch,
}

impl<T> Choice<T> {
    /// Chooses the value for `facts`.
    pub fn pick(&self, facts: &Facts) -> Pick<'_, T> {
        match self {
            Choice::One(v) => Pick::Value(v, None),
            Choice::Table(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    match row.when.as_ref().map_or(Truth::Yes, |c| c.eval(facts)) {
                        Truth::Yes => {
                            return match (&row.value, &row.gap) {
                                (Some(v), _) => Pick::Value(v, Some(i)),
                                (None, Some(g)) => Pick::Gap(g),
                                (None, None) => Pick::NoMatch,
                            }
                        }
                        Truth::No => continue,
                        Truth::Unknown(input) => return Pick::Unknown(input),
                    }
                }
                Pick::NoMatch
            }
        }
    }

    /// Every value the choice can take.
    pub fn values(&self) -> Vec<&T> {
        match self {
            Choice::One(v) => vec![v],
            Choice::Table(rows) => rows.iter().filter_map(|r| r.value.as_ref()).collect(),
        }
    }
}

impl<T: Serialize> Serialize for Choice<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Choice::One(v) => v.serialize(s),
            Choice::Table(rows) => rows.serialize(s),
        }
    }
}

impl<T: Read> Read for Row<T> {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, at, "struct Row", &["when", "value", "gap"])?;
        Ok(Row {
            when: o.opt("when")?,
            // A present `value` is always `Some`, even when it is JSON `null` (a cap of `null`
            // means "no cap", which is a value).
            value: o.present("value")?,
            gap: o.opt("gap")?,
        })
    }
}

/// An array is a table of rows; anything else is the one value.
impl<T: Read> Read for Choice<T> {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        match v {
            Value::Array(_) => Vec::<Row<T>>::read(v, at).map(Choice::Table),
            _ => T::read(v, at).map(Choice::One),
        }
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Choice<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Choice_{}", T::schema_name()).into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let one = g.subschema_for::<T>();
        let row = g.subschema_for::<Row<T>>();
        schemars::json_schema!({
            "description": "One value, or an array of rows {when, value} tried in order; the last row has no `when`.",
            "anyOf": [one, { "type": "array", "items": row, "minItems": 1 }]
        })
    }
}

/// An amount: a fixed decimal string of yuan (`"1500"`), or a multiple of one of the pack's
/// reference lines (`{"line": "disposable_income", "times": "0.5"}` — "half of last year's
/// per-capita disposable income").
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// A fixed amount.
    Fixed(Money),
    /// A multiple of a reference line (`general[].lines`), rounded half up to the fen.
    Line {
        /// The line's name.
        line: String,
        /// The multiple, as a decimal string (`"0.5"`, `"4"`).
        times: String,
    },
}

/// `{"line": …, "times": …}`, as read (`Read for Amount`).
struct LineForm {
    line: String,
    times: Option<String>,
}

impl Amount {
    fn from_line(f: LineForm) -> Result<Amount, String> {
        let times = f.times.unwrap_or_else(|| "1".to_string());
        let ppm = crate::units::money::parse_signed_ppm(&times)?;
        if !(0..=1_000_000_000).contains(&ppm) {
            return Err(format!("\"{times}\" must be a multiple between 0 and 1000"));
        }
        Ok(Amount::Line {
            line: f.line,
            times,
        })
    }

    /// The amount for the reference lines in effect; `Err(line)` names a missing line.
    pub fn resolve<'a>(
        &'a self,
        lines: &std::collections::BTreeMap<String, Money>,
    ) -> Result<Money, &'a str> {
        match self {
            Amount::Fixed(m) => Ok(*m),
            Amount::Line { line, times } => {
                let base = lines.get(line).ok_or(line.as_str())?;
                let ppm = crate::units::money::parse_signed_ppm(times).unwrap_or(1_000_000);
                base.exact()
                    .checked_mul(crate::units::money::Ratio::new(ppm as i128, 1_000_000))
                    .and_then(|r| r.round_half_up())
                    .map_err(|_| line.as_str())
            }
        }
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Amount::Fixed(m) => m.serialize(s),
            Amount::Line { line, times } => {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("line", line)?;
                map.serialize_entry("times", times)?;
                map.end()
            }
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let m = g.subschema_for::<Money>();
        schemars::json_schema!({
            "description": "An amount: a decimal string of yuan, or a multiple of a reference line of the pack.",
            "anyOf": [m, {"type": "object", "properties": {"line": {"type": "string"}, "times": {"type": "string"}}, "required": ["line"], "additionalProperties": false}]
        })
    }
}

/// An optional amount: an [`Amount`], or `null` for "no limit".
#[derive(Clone, Debug, PartialEq)]
pub struct Limit(pub Option<Amount>);

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(m) => m.serialize(s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Limit {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Limit".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let m = g.subschema_for::<Amount>();
        schemars::json_schema!({ "description": "An amount, or null for no limit.", "anyOf": [m, { "type": "null" }] })
    }
}

/// What an amount is, for "invalid type" messages.
const AN_AMOUNT: &str = "an amount as a string, or {\"line\": …, \"times\": …}";

impl Read for Amount {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        match v {
            Value::String(_) | Value::Number(_) => Money::read(v, at).map(Amount::Fixed),
            Value::Object(_) => {
                let o = Obj::new(v, at, "struct LineForm", &["line", "times"])?;
                let form = LineForm {
                    line: o.req("line")?,
                    times: o.opt("times")?,
                };
                Amount::from_line(form)
                    .map_err(|e| Error::new(crate::ErrorCode::InvalidValue, at.path(), e))
            }
            _ => Err(crate::reading::read::invalid_type(v, AN_AMOUNT, at)),
        }
    }
}

/// `null` is no limit.
impl Read for Limit {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        match v {
            Value::Null => Ok(Limit(None)),
            _ => Amount::read(v, at).map(|a| Limit(Some(a))),
        }
    }
}
