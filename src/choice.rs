//! Values chosen by conditions: a parameter is either one value or a table of rows
//! `{ "when": {…}, "value": … }`, the first matching row winning and a last row without
//! `when` serving as the default.

use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::condition::{Condition, Facts, Truth};
use crate::money::Money;

/// One value, or a table of values chosen by conditions.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice<T> {
    /// The same value everywhere.
    One(T),
    /// Rows tried in order.
    Table(Vec<Row<T>>),
}

/// A row of a [`Choice`] table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Row<T> {
    /// When the row applies; absent: always (the default row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// The value.
    pub value: T,
}

/// The outcome of choosing.
#[derive(Debug)]
pub enum Pick<'a, T> {
    /// A value was chosen (from the given row, if a table).
    Value(&'a T, Option<usize>),
    /// A row's condition needs an input the case does not give.
    Unknown(&'static str),
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
                        Truth::Yes => return Pick::Value(&row.value, Some(i)),
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
            Choice::Table(rows) => rows.iter().map(|r| &r.value).collect(),
        }
    }

    /// Every condition in the table.
    pub fn conditions(&self) -> Vec<&Condition> {
        match self {
            Choice::One(_) => vec![],
            Choice::Table(rows) => rows.iter().filter_map(|r| r.when.as_ref()).collect(),
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

struct ChoiceVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ChoiceVisitor<T> {
    type Value = Choice<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value, or an array of rows {\"when\": {…}, \"value\": …}")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::new();
        while let Some(row) = seq.next_element::<Row<T>>()? {
            rows.push(row);
        }
        Ok(Choice::Table(rows))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Choice::One)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Choice::One)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        T::deserialize(().into_deserializer()).map(Choice::One)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Choice::One)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Choice::One)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Choice::One)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize(v.into_deserializer()).map(Choice::One)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Choice::One)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ChoiceVisitor(std::marker::PhantomData))
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

/// An optional amount: a decimal string, or `null` for "no limit".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit(pub Option<Money>);

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(m) => m.serialize(s),
            None => s.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Limit;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an amount as a string, or null for no limit")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Limit, E> {
                Ok(Limit(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Limit, E> {
                Ok(Limit(None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Limit, E> {
                Money::deserialize(v.into_deserializer()).map(|m| Limit(Some(m)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Limit, E> {
                Money::deserialize(v.into_deserializer()).map(|m| Limit(Some(m)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Limit, E> {
                Money::deserialize(v.into_deserializer()).map(|m| Limit(Some(m)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Limit, E> {
                Money::deserialize(v.into_deserializer()).map(|m| Limit(Some(m)))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Limit {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Limit".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let m = g.subschema_for::<Money>();
        schemars::json_schema!({ "description": "An amount, or null for no limit.", "anyOf": [m, { "type": "null" }] })
    }
}
