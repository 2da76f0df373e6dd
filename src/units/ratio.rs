//! An exact rational number of fen: what a rule computes before the one final rounding
//! (a band's rate times a slice of the bill, a cap divided back through a rate). The
//! settlement adds, compares and multiplies these hundreds of times per estimate, so each
//! operation first tries 64-bit parts — the usual case, fen times parts per million — where
//! products fit an `i128` without a check and the gcd and divisions run on 64 bits; larger
//! values take the checked 128-bit path. Both paths give the same exact value.

use std::cmp::Ordering;

use crate::error::Error;
use crate::units::money::{Money, Rate};

/// An exact rational number of fen, used for amounts that are not whole fen until the final
/// rounding. Arithmetic is checked on `i128`; the denominator is always positive and the
/// fraction is kept in lowest terms.
#[derive(Clone, Copy, Debug)]
pub struct Ratio {
    num: i128,
    den: i128,
}

/// Greatest common divisor, binary (Stein's); `gcd(0, b) == b`.
fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 || b == 0 {
        return a | b;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// Greatest common divisor of two magnitudes; when one fits 64 bits, one 128-bit remainder
/// brings the other down to 64 bits as well.
fn gcd(a: i128, b: i128) -> i128 {
    let (a, b) = (a.unsigned_abs(), b.unsigned_abs());
    let (big, small) = if a >= b { (a, b) } else { (b, a) };
    if let Ok(s) = u64::try_from(small) {
        if s == 0 {
            return big as i128;
        }
        let rest = match u64::try_from(big) {
            Ok(b) => b,
            Err(_) => (big % s as u128) as u64,
        };
        return gcd_u64(s, rest) as i128;
    }
    let (mut a, mut b) = (big, small);
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a as i128
}

impl Ratio {
    /// Zero.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    /// An integer.
    pub const fn from_int(v: i128) -> Ratio {
        Ratio { num: v, den: 1 }
    }

    /// `num / den`; a zero denominator yields zero (callers never divide by zero rates: a
    /// zero rate never reaches a cap).
    pub fn new(num: i128, den: i128) -> Ratio {
        if den == 0 {
            return Ratio::ZERO;
        }
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        Ratio { num, den }.reduced()
    }

    /// Numerator and denominator as 64-bit integers, when both fit.
    #[inline]
    fn small(self) -> Option<(i64, i64)> {
        match (i64::try_from(self.num), i64::try_from(self.den)) {
            (Ok(n), Ok(d)) => Some((n, d)),
            _ => None,
        }
    }

    fn reduced(self) -> Ratio {
        if self.den == 1 || self.num == 0 {
            return Ratio {
                num: self.num,
                den: if self.num == 0 { 1 } else { self.den },
            };
        }
        if let Some((n, d)) = self.small() {
            let g = gcd_u64(n.unsigned_abs(), d as u64) as i64;
            return if g <= 1 {
                self
            } else {
                Ratio {
                    num: (n / g) as i128,
                    den: (d / g) as i128,
                }
            };
        }
        let g = gcd(self.num, self.den);
        if g <= 1 {
            self
        } else {
            Ratio {
                num: self.num / g,
                den: self.den / g,
            }
        }
    }

    /// Whether the value is exactly zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Whether the value is above zero.
    pub fn is_positive(self) -> bool {
        self.num > 0
    }

    /// The sum, or an overflow error.
    pub fn checked_add(self, o: Ratio) -> Result<Ratio, Error> {
        if let (Some((an, ad)), Some((bn, bd))) = (self.small(), o.small()) {
            // |an|, |bn| ≤ 2⁶³ and the cofactors < 2⁶³: each product < 2¹²⁶, their sum < 2¹²⁷.
            if ad == bd {
                return Ok(Ratio {
                    num: an as i128 + bn as i128,
                    den: ad as i128,
                }
                .reduced());
            }
            let g = gcd_u64(ad as u64, bd as u64) as i64;
            let (l, r) = (ad / g, bd / g);
            return Ok(Ratio {
                num: an as i128 * r as i128 + bn as i128 * l as i128,
                den: ad as i128 * r as i128,
            }
            .reduced());
        }
        if self.den == o.den {
            return Ok(Ratio {
                num: self.num.checked_add(o.num).ok_or_else(Error::overflow)?,
                den: self.den,
            }
            .reduced());
        }
        let g = gcd(self.den, o.den);
        let l = self.den / g;
        let r = o.den / g;
        let num = self
            .num
            .checked_mul(r)
            .and_then(|a| o.num.checked_mul(l).and_then(|b| a.checked_add(b)))
            .ok_or_else(Error::overflow)?;
        let den = self.den.checked_mul(r).ok_or_else(Error::overflow)?;
        Ok(Ratio { num, den }.reduced())
    }

    /// The difference, or an overflow error.
    pub fn checked_sub(self, o: Ratio) -> Result<Ratio, Error> {
        self.checked_add(Ratio {
            num: o.num.checked_neg().ok_or_else(Error::overflow)?,
            den: o.den,
        })
    }

    /// The product, or an overflow error.
    pub fn checked_mul(self, o: Ratio) -> Result<Ratio, Error> {
        if let (Some((an, ad)), Some((bn, bd))) = (self.small(), o.small()) {
            let g1 = gcd_u64(an.unsigned_abs(), bd as u64).max(1) as i64;
            let g2 = gcd_u64(bn.unsigned_abs(), ad as u64).max(1) as i64;
            // Cross-reduced, both fractions are in lowest terms: so is the product.
            return Ok(Ratio {
                num: (an / g1) as i128 * (bn / g2) as i128,
                den: (ad / g2) as i128 * (bd / g1) as i128,
            });
        }
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        let num = (self.num / g1)
            .checked_mul(o.num / g2)
            .ok_or_else(Error::overflow)?;
        let den = (self.den / g2)
            .checked_mul(o.den / g1)
            .ok_or_else(Error::overflow)?;
        Ok(Ratio { num, den }.reduced())
    }

    /// The quotient, or an overflow error; dividing by zero yields zero.
    pub fn checked_div(self, o: Ratio) -> Result<Ratio, Error> {
        if o.num == 0 {
            return Ok(Ratio::ZERO);
        }
        self.checked_mul(Ratio::new(o.den, o.num))
    }

    /// The product with a rate.
    pub fn times(self, r: Rate) -> Result<Ratio, Error> {
        self.checked_mul(r.exact())
    }

    /// The smaller of two values.
    pub fn min(self, o: Ratio) -> Ratio {
        if self.cmp_exact(o) == Ordering::Greater {
            o
        } else {
            self
        }
    }

    /// The larger of two values.
    pub fn max(self, o: Ratio) -> Ratio {
        if self.cmp_exact(o) == Ordering::Less {
            o
        } else {
            self
        }
    }

    /// Compares exactly.
    pub fn cmp_exact(self, o: Ratio) -> Ordering {
        if self.den == o.den {
            return self.num.cmp(&o.num);
        }
        if let (Some((an, ad)), Some((bn, bd))) = (self.small(), o.small()) {
            return (an as i128 * bd as i128).cmp(&(bn as i128 * ad as i128));
        }
        match (self.num.checked_mul(o.den), o.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => a.cmp(&b),
            // Only reachable with astronomically large operands; fall back to floor compare.
            _ => (self.num.div_euclid(self.den)).cmp(&o.num.div_euclid(o.den)),
        }
    }

    /// Rounds half up (away from zero for positive values) to whole fen.
    pub fn round_half_up(self) -> Result<Money, Error> {
        if let Some((n, d)) = self.small() {
            // floor(n/d + 1/2): the floor, plus one when the remainder is at least half of d.
            let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
            return Ok(Money::from_fen(if r >= d - r { q + 1 } else { q }));
        }
        let twice = self.num.checked_mul(2).ok_or_else(Error::overflow)?;
        let q = (twice + self.den).div_euclid(2 * self.den);
        i64::try_from(q)
            .map(Money::from_fen)
            .map_err(|_| Error::overflow())
    }

    /// Rounds down to whole fen.
    pub fn floor(self) -> Result<Money, Error> {
        i64::try_from(self.num.div_euclid(self.den))
            .map(Money::from_fen)
            .map_err(|_| Error::overflow())
    }

    /// A decimal string of yuan with up to six decimals, for traces; exact when the value is
    /// a whole number of millionths of a fen, otherwise truncated and marked with `…`.
    pub fn to_yuan_string(self) -> String {
        // value in yuan = num / (den * 100)
        let den = self.den.saturating_mul(100);
        let neg = self.num < 0;
        let n = self.num.unsigned_abs();
        let d = den as u128;
        let whole = n / d;
        let mut rem = n % d;
        let mut frac = String::new();
        for _ in 0..6 {
            if rem == 0 {
                break;
            }
            rem *= 10;
            frac.push(char::from(b'0' + (rem / d) as u8));
            rem %= d;
        }
        let sign = if neg { "-" } else { "" };
        let tail = if rem != 0 { "…" } else { "" };
        if frac.len() < 2 {
            while frac.len() < 2 {
                frac.push('0');
            }
        }
        // `whole` is a u128 (at most 2¹²⁷ / 100, so below 10³⁷): written as two u64 parts,
        // so that the module carries no 128-bit formatting code (≈ 1.2 KB of wasm).
        const E19: u128 = 10_000_000_000_000_000_000;
        let whole = if whole < E19 {
            (whole as u64).to_string()
        } else {
            format!("{}{:019}", (whole / E19) as u64, (whole % E19) as u64)
        };
        format!("{sign}{whole}.{frac}{tail}")
    }
}

impl Default for Ratio {
    fn default() -> Ratio {
        Ratio::ZERO
    }
}

impl PartialEq for Ratio {
    fn eq(&self, o: &Ratio) -> bool {
        self.cmp_exact(*o) == Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_once() {
        assert_eq!(Ratio::new(46833, 100).round_half_up().unwrap().fen(), 468); // 468.33 fen
        assert_eq!(Ratio::new(1, 2).round_half_up().unwrap().fen(), 1);
        assert_eq!(Ratio::new(3, 2).round_half_up().unwrap().fen(), 2);
        assert_eq!(Ratio::new(-1, 2).round_half_up().unwrap().fen(), 0);
        // 65,000 / 0.91 carried exactly.
        let cost = Money::from_yuan(65_000)
            .exact()
            .checked_div(Rate::from_ppm(910_000).exact())
            .unwrap();
        assert_eq!(cost.round_half_up().unwrap().fen(), 7_142_857);
        assert_eq!(
            cost.times(Rate::from_ppm(910_000)).unwrap(),
            Money::from_yuan(65_000).exact()
        );
    }

    #[test]
    fn ratio_prints_in_yuan() {
        assert_eq!(Ratio::from_int(12345).to_yuan_string(), "123.45");
        assert_eq!(Ratio::new(1, 2).to_yuan_string(), "0.005");
        assert_eq!(Ratio::new(1, 3).to_yuan_string(), "0.003333…");
    }

    /// The 128-bit path, as the reference: the same operations on values too large for the
    /// 64-bit fast path must agree with it, and the fast path must agree with exact integer
    /// arithmetic on the cross products.
    #[test]
    fn the_fast_path_agrees_with_exact_arithmetic() {
        let vals = [
            Ratio::new(0, 1),
            Ratio::new(1, 3),
            Ratio::new(-7, 2),
            Ratio::new(6_500_000, 910_000),
            Ratio::new(123_456_789, 1_000_000),
            Ratio::new(i64::MAX as i128, 999_983),
            Ratio::new(i64::MIN as i128 + 1, 7),
            Ratio::new(1 << 80, 3),
            Ratio::new(-(1 << 70), (1 << 65) + 1),
        ];
        for a in vals {
            for b in vals {
                if let Ok(sum) = a.checked_add(b) {
                    assert!(sum.den > 0 && gcd(sum.num, sum.den) == 1, "{sum:?}");
                    // a + b - b == a, exactly
                    if let Ok(back) = sum.checked_sub(b) {
                        assert_eq!(back.cmp_exact(a), Ordering::Equal);
                    }
                }
                // cross products decide the order
                if let (Some(x), Some(y)) = (a.num.checked_mul(b.den), b.num.checked_mul(a.den)) {
                    assert_eq!(a.cmp_exact(b), x.cmp(&y), "{a:?} vs {b:?}");
                }
                if let Ok(p) = a.checked_mul(b) {
                    assert_eq!(gcd(p.num, p.den), 1, "{p:?} in lowest terms");
                    if !b.is_zero() {
                        if let Ok(q) = p.checked_div(b) {
                            assert_eq!(q, a);
                        }
                    }
                }
            }
        }
        // values that fit 64 bits never overflow an add or a multiply
        let small = &vals[..7];
        for a in small {
            for b in small {
                assert!(a.checked_add(*b).is_ok() && a.checked_mul(*b).is_ok());
            }
        }
    }

    #[test]
    fn large_values_print_in_yuan() {
        assert_eq!(
            Ratio::from_int(i128::MAX).to_yuan_string(),
            "1701411834604692317316873037158841057.27"
        );
        assert_eq!(
            Ratio::from_int(-(10i128.pow(21))).to_yuan_string(),
            "-10000000000000000000.00"
        );
        assert_eq!(
            Ratio::from_int(10i128.pow(21) + 5).to_yuan_string(),
            "10000000000000000000.05"
        );
    }

    #[test]
    fn half_up_on_both_paths() {
        for (n, d) in [
            (5, 10),
            (-5, 10),
            (4, 10),
            (-6, 10),
            (15, 10),
            (i64::MAX as i128, 2),
        ] {
            let fast = Ratio::new(n, d).round_half_up().unwrap().fen() as i128;
            let want = (2 * n + d).div_euclid(2 * d);
            assert_eq!(fast, want, "{n}/{d}");
        }
    }

    #[test]
    fn gcd_handles_mixed_widths() {
        assert_eq!(gcd(0, 0), 0);
        assert_eq!(gcd(0, 12), 12);
        assert_eq!(gcd(1 << 100, 1 << 10), 1 << 10);
        assert_eq!(gcd(-(3i128 << 90), 9), 3);
        assert_eq!(
            gcd((1 << 100) + 1, (1 << 90) + 1),
            gcd((1 << 90) + 1, (1 << 100) + 1)
        );
    }
}
