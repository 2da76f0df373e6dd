//! Exact money and rates.
//!
//! Money is a whole number of fen (分, 0.01 yuan) held in an `i64`; every operation is
//! checked and overflow is an error, never a wrap. Rates are exact decimals with up to six
//! fractional digits (parts per million). Quantities that are not whole fen — a share of a
//! bill, a cap divided by a rate — are carried as an exact [`Ratio`] and rounded once, half
//! up to the fen, when a layer's payment is settled.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::reading::read::{At, Read};
pub use crate::units::ratio::Ratio;

/// An amount of money in fen (分). Serialized as a decimal string of yuan: `"52000.50"`.
///
/// ```
/// use tiercost::Money;
/// let m: Money = "52000.5".parse().unwrap();
/// assert_eq!(m.fen(), 5_200_050);
/// assert_eq!(m.to_string(), "52000.50");
/// assert!("1.234".parse::<Money>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// The largest amount accepted as input: one trillion yuan. Far above any medical bill, far
/// below where sums of many such amounts could overflow `i64` fen.
pub const MAX_INPUT_FEN: i64 = 100_000_000_000_000;

impl Money {
    /// Zero fen.
    pub const ZERO: Money = Money(0);

    /// An amount from a whole number of fen.
    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    /// An amount from whole yuan.
    pub const fn from_yuan(yuan: i64) -> Money {
        Money(yuan * 100)
    }

    /// The amount in fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whether the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self + other`, or an overflow error.
    pub fn checked_add(self, other: Money) -> Result<Money, Error> {
        self.0
            .checked_add(other.0)
            .map(Money)
            .ok_or_else(Error::overflow)
    }

    /// `self - other`, or an overflow error.
    pub fn checked_sub(self, other: Money) -> Result<Money, Error> {
        self.0
            .checked_sub(other.0)
            .map(Money)
            .ok_or_else(Error::overflow)
    }

    /// `self - other`, but never below zero.
    pub fn saturating_sub_floor0(self, other: Money) -> Money {
        Money((self.0 - other.0.min(self.0)).max(0))
    }

    /// The exact value as a [`Ratio`] of fen.
    pub fn exact(self) -> Ratio {
        Ratio::from_int(self.0 as i128)
    }

    /// Parses a decimal string of yuan: an optional sign, digits, and at most two fractional
    /// digits. Exponents, `NaN`, spaces and a third decimal are rejected.
    pub fn parse_decimal(text: &str) -> Result<Money, String> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let (whole, frac) = match rest.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (rest, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "\"{text}\" is not an amount: expected a decimal number of yuan such as \"1234.56\""
            ));
        }
        let frac_fen = match frac {
            None => 0,
            Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(format!(
                    "\"{text}\" is not an amount: expected digits after the decimal point"
                ))
            }
            Some(f) if f.len() > 2 => {
                return Err(format!(
                "\"{text}\" has more than two decimals: amounts are exact to the fen (0.01 yuan)"
            ))
            }
            Some(f) if f.len() == 1 => (f.as_bytes()[0] - b'0') as i64 * 10,
            Some(f) => f.parse::<i64>().unwrap_or(0),
        };
        let whole_yuan: i64 = if whole.len() > 15 {
            return Err(format!(
                "\"{text}\" is too large: amounts are limited to one trillion yuan"
            ));
        } else {
            whole
                .parse()
                .map_err(|_| format!("\"{text}\" is not an amount"))?
        };
        let fen = whole_yuan * 100 + frac_fen;
        if fen > MAX_INPUT_FEN {
            return Err(format!(
                "\"{text}\" is too large: amounts are limited to one trillion yuan"
            ));
        }
        Ok(Money(if negative { -fen } else { fen }))
    }
}

impl std::str::FromStr for Money {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse_decimal(s)
    }
}

/// Room for `-92233720368547758.08`, the longest amount.
const MONEY_TEXT: usize = 21;

impl Money {
    /// The amount as decimal yuan (`"-1234.50"`), written into `buf` right to left: every
    /// estimate serializes hundreds of amounts, and `core::fmt` made that its slowest part.
    fn text(self, buf: &mut [u8; MONEY_TEXT]) -> &str {
        let mut abs = self.0.unsigned_abs();
        let mut i = MONEY_TEXT;
        let mut put = |b: u8, i: &mut usize| {
            *i -= 1;
            buf[*i] = b;
        };
        put(b'0' + (abs % 10) as u8, &mut i);
        put(b'0' + (abs / 10 % 10) as u8, &mut i);
        put(b'.', &mut i);
        abs /= 100;
        loop {
            put(b'0' + (abs % 10) as u8, &mut i);
            abs /= 10;
            if abs == 0 {
                break;
            }
        }
        if self.0 < 0 {
            put(b'-', &mut i);
        }
        // Only ASCII digits, '.' and '-' were written.
        std::str::from_utf8(&buf[i..]).unwrap_or_default()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(&mut [0; MONEY_TEXT]))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text(&mut [0; MONEY_TEXT]))
    }
}

/// What an amount is, for "invalid type" messages.
const AN_AMOUNT: &str = "an amount of yuan as a string such as \"1234.56\"";
/// What a rate is.
const A_RATE: &str = "a rate as a decimal string such as \"0.85\"";
/// What a change of rate is.
const A_RATE_CHANGE: &str = "a signed decimal string such as \"-0.05\"";

impl Money {
    /// An amount given as text in a document: a decimal of yuan, zero or more.
    fn from_document(text: &str) -> Result<Money, String> {
        let m = Money::parse_decimal(text)?;
        if m.is_negative() {
            return Err(format!(
                "\"{text}\" is negative: amounts must be zero or more"
            ));
        }
        Ok(m)
    }
}

/// A serde error led by our code (`invalid_amount: …`), for code that reads amounts with
/// serde.
fn coded<E: serde::de::Error>(code: ErrorCode, message: String) -> E {
    E::custom(format_args!("{}: {message}", code.as_str()))
}

/// Why a JSON number cannot be an amount or rate; `integer` is its digits when it is whole.
fn number_not_string(integer: Option<String>) -> String {
    match integer {
        Some(v) => format!(
            "the number {v} must be written as a string (\"{v}\"): amounts and rates are decimal strings so that no binary float touches them"
        ),
        None => "a number with a fraction must be written as a decimal string: amounts and rates are strings so that no binary float touches them".to_string(),
    }
}

/// The text of a JSON string where an amount or rate (`expected`) is read; a JSON number is
/// `number_not_string`, because a float cannot carry fen exactly.
pub(crate) fn decimal_text<'v>(v: &'v Value, at: At<'_>, expected: &str) -> Result<&'v str, Error> {
    match v {
        Value::String(s) => Ok(s),
        Value::Number(n) => {
            let integer = n
                .as_i64()
                .map(|i| i.to_string())
                .or_else(|| n.as_u64().map(|u| u.to_string()));
            Err(Error::new(
                ErrorCode::NumberNotString,
                at.path(),
                number_not_string(integer),
            ))
        }
        _ => Err(crate::reading::read::invalid_type(v, expected, at)),
    }
}

/// Accepts only strings; a JSON number for money is an error, because a float cannot carry
/// fen exactly.
struct DecimalText(&'static str);

impl serde::de::Visitor<'_> for DecimalText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Err(coded(
            ErrorCode::NumberNotString,
            number_not_string(Some(v.to_string())),
        ))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Err(coded(
            ErrorCode::NumberNotString,
            number_not_string(Some(v.to_string())),
        ))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<String, E> {
        Err(coded(ErrorCode::NumberNotString, number_not_string(None)))
    }
}

/// An exact rate between 0 and 1 with up to six decimals, held in parts per million.
/// Serialized as a decimal string: `"0.85"`.
///
/// ```
/// use tiercost::Rate;
/// let r: Rate = "0.925".parse().unwrap();
/// assert_eq!(r.ppm(), 925_000);
/// assert_eq!(r.to_string(), "0.925");
/// assert!("1.2".parse::<Rate>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(u32);

/// Parts per million in one whole.
pub const PPM: u32 = 1_000_000;

impl Rate {
    /// Zero.
    pub const ZERO: Rate = Rate(0);
    /// One (100%).
    pub const ONE: Rate = Rate(PPM);

    /// A rate from parts per million; values above one million are clamped to one.
    pub const fn from_ppm(ppm: u32) -> Rate {
        Rate(if ppm > PPM { PPM } else { ppm })
    }

    /// The rate in parts per million.
    pub const fn ppm(self) -> u32 {
        self.0
    }

    /// `1 - self`.
    pub const fn complement(self) -> Rate {
        Rate(PPM - self.0)
    }

    /// The exact value as a [`Ratio`].
    pub fn exact(self) -> Ratio {
        Ratio::new(self.0 as i128, PPM as i128)
    }

    /// Parses a decimal between 0 and 1 with at most six decimals.
    pub fn parse_decimal(text: &str) -> Result<Rate, String> {
        let ppm = parse_signed_ppm(text)?;
        if !(0..=PPM as i64).contains(&ppm) {
            return Err(format!(
                "\"{text}\" is outside 0–1: rates are written as decimals such as \"0.85\""
            ));
        }
        Ok(Rate(ppm as u32))
    }
}

/// Parses a signed decimal with up to six fractional digits into parts per million.
pub(crate) fn parse_signed_ppm(text: &str) -> Result<i64, String> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let valid = !whole.is_empty()
        && whole.len() <= 6
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(rest.contains('.') && frac.is_empty());
    if !valid {
        return Err(format!("\"{text}\" is not a decimal such as \"0.85\""));
    }
    if frac.len() > 6 {
        return Err(format!("\"{text}\" has more than six decimals"));
    }
    let whole: i64 = whole
        .parse()
        .map_err(|_| format!("\"{text}\" is not a decimal"))?;
    let mut frac_ppm: i64 = 0;
    for (i, b) in frac.bytes().enumerate() {
        frac_ppm += (b - b'0') as i64 * 10i64.pow(5 - i as u32);
    }
    let v = whole * PPM as i64 + frac_ppm;
    Ok(if negative { -v } else { v })
}

pub(crate) fn format_ppm(ppm: i64) -> String {
    let sign = if ppm < 0 { "-" } else { "" };
    let abs = ppm.unsigned_abs();
    let whole = abs / PPM as u64;
    let frac = abs % PPM as u64;
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let mut s = format!("{frac:06}");
    while s.ends_with('0') {
        s.pop();
    }
    format!("{sign}{whole}.{s}")
}

impl std::str::FromStr for Rate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rate::parse_decimal(s)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_ppm(self.0 as i64))
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A signed change to a rate, in parts per million: `"0.05"` is five percentage points up,
/// `"-0.1"` ten down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateDelta(pub i64);

impl fmt::Display for RateDelta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_ppm(self.0))
    }
}

impl Serialize for RateDelta {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl RateDelta {
    /// A change of rate given as text in a document: between -1 and 1.
    fn from_document(text: &str) -> Result<RateDelta, String> {
        let v = parse_signed_ppm(text)?;
        if v.abs() > PPM as i64 {
            return Err(format!("\"{text}\" is outside -1–1"));
        }
        Ok(RateDelta(v))
    }
}

/// `Deserialize` (for serde users) and [`Read`] (every document) for a type written as a
/// decimal string, from its parser and the code of its errors: one parser, one set of messages.
macro_rules! decimal_string {
    ($ty:ty, $expected:expr, $parse:path, $code:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = d.deserialize_any(DecimalText($expected))?;
                $parse(&text).map_err(|e| coded($code, e))
            }
        }

        impl Read for $ty {
            fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
                let text = decimal_text(v, at, $expected)?;
                $parse(text).map_err(|e| Error::new($code, at.path(), e))
            }
        }
    };
}

decimal_string!(
    Money,
    AN_AMOUNT,
    Money::from_document,
    ErrorCode::InvalidAmount
);
decimal_string!(Rate, A_RATE, Rate::parse_decimal, ErrorCode::InvalidRate);
decimal_string!(
    RateDelta,
    A_RATE_CHANGE,
    RateDelta::from_document,
    ErrorCode::InvalidRate
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_as_yuan_with_two_decimals() {
        for (fen, text) in [
            (0, "0.00"),
            (5, "0.05"),
            (-5, "-0.05"),
            (123_456, "1234.56"),
            (-100, "-1.00"),
            (i64::MAX, "92233720368547758.07"),
            (i64::MIN, "-92233720368547758.08"),
        ] {
            assert_eq!(Money(fen).to_string(), text);
            assert_eq!(
                serde_json::to_string(&Money(fen)).unwrap(),
                format!("\"{text}\"")
            );
        }
    }

    #[test]
    fn parses_the_three_accepted_forms() {
        assert_eq!(Money::parse_decimal("52000").unwrap().fen(), 5_200_000);
        assert_eq!(Money::parse_decimal("52000.5").unwrap().fen(), 5_200_050);
        assert_eq!(Money::parse_decimal("52000.50").unwrap().fen(), 5_200_050);
        assert_eq!(Money::parse_decimal("0.07").unwrap().fen(), 7);
    }

    #[test]
    fn rejects_what_is_not_an_exact_amount() {
        for bad in [
            "",
            "1.234",
            "1e5",
            "NaN",
            "inf",
            " 1",
            "1.",
            ".5",
            "1,000",
            "+-1",
            "1_000",
            "9999999999999999",
        ] {
            assert!(Money::parse_decimal(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn rates_parse_and_print_exactly() {
        assert_eq!(Rate::parse_decimal("0.112").unwrap().ppm(), 112_000);
        assert_eq!(Rate::parse_decimal("1").unwrap(), Rate::ONE);
        assert_eq!(Rate::parse_decimal("0.000001").unwrap().ppm(), 1);
        assert!(Rate::parse_decimal("1.000001").is_err());
        assert!(Rate::parse_decimal("-0.1").is_err());
        assert!(Rate::parse_decimal("0.0000001").is_err());
        assert_eq!(Rate::from_ppm(925_000).to_string(), "0.925");
        assert_eq!(Rate::ONE.to_string(), "1");
    }
}
