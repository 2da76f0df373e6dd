//! Reading JSON documents (packs, programmes, cases) into the domain types.
//!
//! The text is parsed once into a [`serde_json::Value`]; every struct is then read from it by
//! a small function that `read_struct!` generates from the struct's field list, and every
//! unit enum by `read_enum!`, keeping the JSON path as they go, so an error carries its path
//! directly. The field lists are not written by hand: `#[derive(Read)]` (the workspace's
//! `tiercost-derive` crate) writes the `read_struct!` / `read_enum!` call from the type's
//! fields and the serde attributes it already has for serialization, so a JSON field is
//! declared once. Amounts, rates and dates have their own [`Read`] impls beside their serde ones
//! (`money.rs`, `date.rs`, `choice.rs`), sharing the parsing and the messages.
//!
//! Why not `#[derive(Deserialize)]`: serde's derived visitors, instantiated for serde_json's
//! text reader, and serde_json's typed error messages were about 40 KB of the gzipped wasm
//! (BENCHMARKS.md, WebAssembly: size). The messages keep serde's wording (`unknown field`,
//! `missing field`, `invalid type`, `unknown variant`) and the codes and paths are the same.
//! A JSON object that gives a key twice keeps the last value (serde's derive refused it).
//!
//! The module is public (`tiercost::read`): a tool can read a sub-document with the path it
//! has in a larger one (`At::Root("$.case")`). It is also measurably smaller so: as a private
//! module the readers are inlined more, +1.1 KB gzipped (BENCHMARKS.md).
//!
//! Every document the crate reads goes through here: packs, programmes and cases, and the
//! planning documents (plans, scenarios, inverse questions, ranges), case files and batch
//! mappings. A struct readable this way also implements `Deserialize` (through
//! [`deserialize`]) for code outside the crate that reads with `serde_json::from_str`; the
//! crate itself never does.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode};

/// Where a value is in the document: a chain of keys and indices, rendered only on error.
#[derive(Clone, Copy, Debug)]
pub enum At<'a> {
    /// The document itself, under a path prefix (`$`, or the path of an embedded document).
    Root(&'a str),
    /// A member of an object.
    Key(&'a At<'a>, &'a str),
    /// An element of an array.
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The JSON path, e.g. `$.encounters[0].items[2].amount`.
    pub fn path(&self) -> String {
        match self {
            At::Root(prefix) => (*prefix).to_string(),
            At::Key(parent, key) => {
                let mut p = parent.path();
                p.push('.');
                p.push_str(key);
                p
            }
            At::Index(parent, i) => {
                let mut p = parent.path();
                p.push('[');
                p.push_str(&i.to_string());
                p.push(']');
                p
            }
        }
    }
}

/// A type read from a parsed JSON value.
pub trait Read: Sized {
    /// Reads `v`, found at `at`.
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error>;
}

/// Reads JSON text into `T`: a syntax error (serde_json's message, with its line and column)
/// at `$`, then the value.
pub(crate) fn read_str<T: Read>(text: &str) -> Result<T, Error> {
    read_value(&parse(text)?, "$")
}

/// Parses JSON text into a [`Value`]: the only error is a syntax error (serde_json's
/// message, with its line and column) at `$`. Not generic: one copy serves every document.
#[inline(never)]
pub(crate) fn parse(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::new(ErrorCode::JsonSyntax, "$", e.to_string()))
}

/// Reads an already-parsed value into `T`, reporting paths under `prefix`.
///
/// Every unknown field in the whole document is reported, not only the first: while the
/// document is read, an object's unknown members are noted and skipped (see
/// [`Obj::new`]), and the reading goes on. The error then lists each unknown field with the
/// nearest known name, and the first other problem met, if any.
///
/// Only the call of `T::read` is generic: the noting of unknown fields and the gathering of
/// the error are shared by every `T` (one copy in the wasm, not one per document type).
pub(crate) fn read_value<T: Read>(value: &Value, prefix: &str) -> Result<T, Error> {
    let outer = note_unknown(Some(Vec::new()));
    let read = T::read(value, At::Root(prefix));
    let unknown = note_unknown(outer).unwrap_or_default();
    if unknown.is_empty() {
        return read;
    }
    Err(unknown_fields(unknown, read.err()))
}

/// Starts (`Some(Vec::new())`) or ends (`None`, or the outer read's list) the noting of
/// unknown fields, returning the list noted until now.
#[inline(never)]
fn note_unknown(list: Option<Vec<Error>>) -> Option<Vec<Error>> {
    UNKNOWN.with(|u| std::mem::replace(&mut *u.borrow_mut(), list))
}

/// The `unknown_field` error listing every unknown field, then the first other problem met
/// (`read`), if any.
#[inline(never)]
fn unknown_fields(mut problems: Vec<Error>, read: Option<Error>) -> Error {
    if let Some(e) = read {
        if e.problems.is_empty() {
            problems.push(e);
        } else {
            problems.extend(e.problems);
        }
    }
    Error::gather(ErrorCode::UnknownField, "the document", problems)
}

thread_local! {
    /// The unknown fields met while [`read_value`] reads a document; `None` outside one, or
    /// while [`untagged`] tries a variant (a read then stops at the first, as serde would).
    static UNKNOWN: std::cell::RefCell<Option<Vec<Error>>> = const { std::cell::RefCell::new(None) };
}

/// The known name nearest to `key`, if it is near enough to be the one meant: the same
/// letters in another case or with `_`/`-` (`lump_sum` for `lumpSum`), or at most a third of
/// its letters (at least one) typed wrong, left out or swapped (`deductable` for
/// `deductible`, `nmae` for `name`). Never a guess for a one-letter name.
pub(crate) fn nearest<'n>(key: &str, names: &[&'n str]) -> Option<&'n str> {
    let k = fold(key);
    let mut best: Option<(usize, &str)> = None;
    for n in names {
        let d = edit_distance(&k, &fold(n));
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, n));
        }
    }
    let (d, name) = best?;
    (d <= (k.len() / 3).max(1) && d < k.len()).then_some(name)
}

/// A name as [`nearest`] compares it: without `_` and `-`, in lower case.
///
/// ASCII case folding only: the known names are ASCII, and `char::to_lowercase` would bring
/// core's Unicode case tables (about 8 KB gzipped) into the wasm. A loop, not an iterator
/// chain, for the same reason: fewer instantiations in the wasm.
fn fold(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if c != '_' && c != '-' {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Edit distance between two short names, a swap of neighbours counting as one edit
/// (optimal string alignment).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // The table row by row, `d[i * w + j]` the distance between `a[..i]` and `b[..j]`.
    let w = b.len() + 1;
    let mut d: Vec<usize> = Vec::with_capacity((a.len() + 1) * w);
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            let v = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
            d.push(v);
        }
    }
    d[a.len() * w + b.len()]
}

/// `unknown_field` at `key` of the object at `at`, naming the nearest known field.
fn unknown_field(at: At<'_>, key: &str, fields: &[&str]) -> Error {
    Error::new(
        ErrorCode::UnknownField,
        At::Key(&at, key).path(),
        unknown("field", key, fields),
    )
}

/// ``unknown field `key` (did you mean `name`?), expected one of `a`, `b` ``: the message
/// of an unknown field or variant (`what`), shared by both.
fn unknown(what: &str, key: &str, names: &[&str]) -> String {
    let hint = match nearest(key, names) {
        Some(n) => format!(" (did you mean `{n}`?)"),
        None => String::new(),
    };
    format!(
        "unknown {what} `{key}`{hint}, expected one of {}",
        one_of(names)
    )
}

/// What `v` is, in the words of serde's "invalid type" messages (`string "x"`, `integer `5``).
fn found(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => format!("integer `{i}`"),
            (_, Some(u)) => format!("integer `{u}`"),
            // Not the number itself: formatting floats would cost the wasm 4 KB.
            _ => "a number with a fraction".into(),
        },
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// `invalid_type`: `v` is not what was `expected`.
pub(crate) fn invalid_type(v: &Value, expected: &str, at: At<'_>) -> Error {
    Error::new(
        ErrorCode::InvalidType,
        at.path(),
        format!("invalid type: {}, expected {expected}", found(v)),
    )
}

/// `` `a`, `b`, `c` ``: the names an unknown field or variant could have been.
fn one_of(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(n);
        out.push('`');
    }
    out
}

/// The members of one JSON object, read field by field.
pub struct Obj<'v, 'a> {
    map: &'v Map<String, Value>,
    at: At<'a>,
    /// The first error met while reading the fields (see [`Obj::keep`]).
    first: std::cell::RefCell<Option<Error>>,
}

impl<'v, 'a> Obj<'v, 'a> {
    /// The object `v` of a struct `what` (e.g. `"struct Layer"`) whose JSON fields are
    /// `fields`; any other member is an `unknown_field` error at that member.
    pub fn new(
        v: &'v Value,
        at: At<'a>,
        what: &str,
        fields: &'static [&'static str],
    ) -> Result<Self, Error> {
        let Value::Object(map) = v else {
            return Err(invalid_type(v, what, at));
        };
        let mut unknown = Vec::new();
        for k in map.keys() {
            if !fields.contains(&k.as_str()) {
                unknown.push(unknown_field(at, k, fields));
            }
        }
        if !unknown.is_empty() {
            // Inside `read_value`: note them and read on, so that every one is reported.
            let noted = UNKNOWN.with(|u| match u.borrow_mut().as_mut() {
                Some(all) => {
                    all.append(&mut unknown);
                    true
                }
                None => false,
            });
            if !noted {
                let mut e = Error::gather(ErrorCode::UnknownField, "the object", unknown);
                if !e.problems.is_empty() {
                    e.path = at.path();
                }
                return Err(e);
            }
        }
        Ok(Obj {
            map,
            at,
            first: std::cell::RefCell::new(None),
        })
    }

    fn get<T: Read>(&self, key: &'static str) -> Option<Result<T, Error>> {
        self.member(key).map(|v| T::read(v, At::Key(&self.at, key)))
    }

    /// The member `key`. Not inlined: one map search serves every field of every struct.
    #[inline(never)]
    fn member(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key)
    }

    /// A field that must be present (`missing_field` at the object otherwise).
    pub fn req<T: Read>(&self, key: &'static str) -> Result<T, Error> {
        self.get(key).unwrap_or_else(|| {
            Err(Error::new(
                ErrorCode::MissingField,
                self.at.path(),
                format!("missing field `{key}`"),
            ))
        })
    }

    /// An optional field: absent or `null` is `None`.
    pub fn opt<T: Read>(&self, key: &'static str) -> Result<Option<T>, Error> {
        match self.member(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.get(key).transpose(),
        }
    }

    /// A field whose value, even `null`, is read as `T` when present (`None` when absent).
    pub fn present<T: Read>(&self, key: &'static str) -> Result<Option<T>, Error> {
        self.get(key).transpose()
    }

    /// A field with a default when absent.
    pub fn or<T: Read>(&self, key: &'static str, default: impl FnOnce() -> T) -> Result<T, Error> {
        self.get(key).unwrap_or_else(|| Ok(default()))
    }

    /// `Some` value of a field read, or `None` with its error kept when it is the first.
    ///
    /// The readers `read_struct!` generates read every field this way and build the struct
    /// only when all are `Some`: one exit for failure, where an early return per field would
    /// need its own code to drop the fields read before it.
    pub fn keep<T>(&self, read: Result<T, Error>) -> Option<T> {
        match read {
            Ok(v) => Some(v),
            Err(e) => {
                self.first.borrow_mut().get_or_insert(e);
                None
            }
        }
    }

    /// The first error kept (when a field was `None`).
    pub fn error(&self) -> Error {
        self.first.borrow_mut().take().unwrap_or_else(|| {
            Error::new(
                ErrorCode::Internal,
                self.at.path(),
                "a field could not be read",
            )
        })
    }

    /// A field that is `T::default()` when absent.
    pub fn dflt<T: Read + Default>(&self, key: &'static str) -> Result<T, Error> {
        self.or(key, T::default)
    }
}

/// Reads a struct's fields from an object whose unknown members were already refused; a
/// struct flattened into another (`#[serde(flatten)]`) is read this way.
pub trait FromObj: Sized {
    /// Reads the fields from `o`.
    fn from_obj(o: &Obj<'_, '_>) -> Result<Self, Error>;
}

/// `Deserialize` for a [`Read`] type, for code outside the crate that reads with serde
/// (`serde_json::from_str::<Case>`): the value is parsed and read, and an error becomes
/// serde's custom error with the whole of ours as its text (`invalid_amount at
/// $.encounters[0].items[0].amount: …`). The crate itself never reads through serde.
pub fn deserialize<'de, D: serde::Deserializer<'de>, T: Read>(d: D) -> Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    T::read(&v, At::Root("$")).map_err(D::Error::custom)
}

/// The variant of an internally tagged enum `what` (`#[serde(tag = "…")]`): the index in
/// `names` of the name the member `tag` of the object `v` gives. The variant's own fields are
/// then read from the same object, `tag` among them (`#[derive(Read)]` writes that).
#[inline(never)]
pub fn tag_index(
    v: &Value,
    at: At<'_>,
    what: &str,
    tag: &'static str,
    names: &'static [&'static str],
) -> Result<usize, Error> {
    let Value::Object(map) = v else {
        return Err(invalid_type(v, what, at));
    };
    match map.get(tag) {
        Some(t) => variant_index(t, At::Key(&at, tag), names),
        None => Err(Error::new(
            ErrorCode::MissingField,
            at.path(),
            format!("missing field `{tag}`"),
        )),
    }
}

/// A reader of one variant of an untagged enum.
pub type Try<T> = fn(&Value, At<'_>) -> Result<T, Error>;

/// The first variant of an untagged enum `what` (`#[serde(untagged)]`) that reads `v`, tried
/// in order; `invalid_value` at `v` when none does. While a variant is tried, an unknown
/// field fails it (it is not noted as the document's problem: it may be another variant's).
pub fn untagged<T>(v: &Value, at: At<'_>, what: &str, tries: &[Try<T>]) -> Result<T, Error> {
    let outer = note_unknown(None);
    let mut found = None;
    for t in tries {
        if let Ok(x) = t(v, at) {
            found = Some(x);
            break;
        }
    }
    note_unknown(outer);
    found.ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidValue,
            at.path(),
            format!("data did not match any variant of untagged enum {what}"),
        )
    })
}

/// Any JSON value, kept as it is (a document embedded in another, a merge patch).
impl Read for Value {
    fn read(v: &Value, _: At<'_>) -> Result<Self, Error> {
        Ok(v.clone())
    }
}

/// An index (into a case's encounters, a plan's courses): read as a `u32`, which is what a
/// `usize` is in the wasm.
impl Read for usize {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        u32::read(v, at).map(|u| u as usize)
    }
}

impl<T: Read> Read for Option<T> {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        match v {
            Value::Null => Ok(None),
            _ => T::read(v, at).map(Some),
        }
    }
}

impl<T: Read> Read for Box<T> {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        T::read(v, at).map(Box::new)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        let Value::Array(items) = v else {
            return Err(invalid_type(v, "a sequence", at));
        };
        // A plain loop: `collect` into a `Result` costs an iterator adapter per element type.
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::read(item, At::Index(&at, i))?);
        }
        Ok(out)
    }
}

impl<T: Read> Read for BTreeMap<String, T> {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        let Value::Object(map) = v else {
            return Err(invalid_type(v, "a map", at));
        };
        let mut out = BTreeMap::new();
        for (k, item) in map {
            out.insert(k.clone(), T::read(item, At::Key(&at, k))?);
        }
        Ok(out)
    }
}

impl Read for String {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(invalid_type(v, "a string", at)),
        }
    }
}

impl Read for bool {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(invalid_type(v, "a boolean", at)),
        }
    }
}

impl Read for u32 {
    fn read(v: &Value, at: At<'_>) -> Result<Self, Error> {
        let n = match v {
            Value::Number(n) if n.is_f64() => return Err(invalid_type(v, "u32", at)),
            Value::Number(n) => n,
            _ => return Err(invalid_type(v, "u32", at)),
        };
        match n.as_u64().and_then(|u| u32::try_from(u).ok()) {
            Some(u) => Ok(u),
            None => Err(Error::new(
                ErrorCode::InvalidValue,
                at.path(),
                format!("invalid value: {}, expected u32", found(v)),
            )),
        }
    }
}

/// The variant of a unit enum named by the string `v`: `names[i]` names `values[i]`.
///
/// Only the indexing is generic; the reading and the message are shared by every enum
/// ([`variant_index`]).
pub(crate) fn variant<T: Copy>(
    v: &Value,
    at: At<'_>,
    names: &'static [&'static str],
    values: &[T],
) -> Result<T, Error> {
    variant_index(v, at, names).map(|i| values[i])
}

/// The index in `names` of the variant named by the string `v`.
#[inline(never)]
fn variant_index(v: &Value, at: At<'_>, names: &'static [&'static str]) -> Result<usize, Error> {
    let Value::String(s) = v else {
        return Err(invalid_type(v, "a variant name (a string)", at));
    };
    match names.iter().position(|n| n == s) {
        Some(i) => Ok(i),
        None => Err(Error::new(
            ErrorCode::InvalidValue,
            at.path(),
            unknown("variant", s, names),
        )),
    }
}

/// [`Read`] for a unit enum from the JSON name of each variant (as serde names it; a test
/// checks that every name reads back what serde writes). A derived `Deserialize`, if the enum
/// keeps one, is for serde users: the crate reads the enum only through this.
macro_rules! read_enum {
    ($ty:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $crate::reading::read::Read for $ty {
            fn read(v: &serde_json::Value, at: $crate::reading::read::At<'_>) -> Result<Self, $crate::Error> {
                $crate::reading::read::variant(v, at, &[$($name),*], &[$($ty::$variant),*])
            }
        }
        #[cfg(test)]
        impl $crate::reading::read::tests::Variants for $ty {
            const ALL: &'static [$ty] = &[$($ty::$variant),*];
        }
    };
}
pub(crate) use read_enum;

/// [`Read`], [`FromObj`] and `Deserialize` (through [`deserialize`]) for a struct, from its JSON
/// fields: `field: req("name")` (required), `opt("name")` (absent or null: `None`),
/// `dflt("name")` (absent: `Default`), `present("name")` (absent: `None`, else read even if
/// null), `or("name", f)` (absent: `f()`), `flat(Type)` (a struct flattened into this one).
/// The list after the type name is every JSON field the object may have, flattened ones
/// included (a test checks it against the fields read).
macro_rules! read_struct {
    ($ty:ident [$($json:literal),* $(,)?] { $($body:tt)* }) => {
        $crate::reading::read::read_struct!($ty (&[$($json),*]) { $($body)* });
    };
    ($ty:ident ($list:expr) { $($field:ident : $how:ident $(($($arg:tt)*))?),* $(,)? }) => {
        impl $crate::reading::read::Fields for $ty {
            const FIELDS: &'static [&'static str] = $list;
        }
        impl $crate::reading::read::FromObj for $ty {
            fn from_obj(o: &$crate::reading::read::Obj<'_, '_>) -> Result<Self, $crate::Error> {
                $crate::reading::read::read_struct!(@build o, $ty { $($field : $how $(($($arg)*))?),* })
            }
        }
        impl $crate::reading::read::Read for $ty {
            fn read(v: &serde_json::Value, at: $crate::reading::read::At<'_>) -> Result<Self, $crate::Error> {
                let o = $crate::reading::read::Obj::new(v, at, concat!("struct ", stringify!($ty)), <$ty as $crate::reading::read::Fields>::FIELDS)?;
                <$ty as $crate::reading::read::FromObj>::from_obj(&o)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::reading::read::deserialize(d)
            }
        }
        #[cfg(test)]
        impl $crate::reading::read::tests::Keys for $ty {
            const LISTED: &'static [&'static str] = <$ty as $crate::reading::read::Fields>::FIELDS;
            // One push per field, as the macro's repetition gives them.
            #[allow(clippy::vec_init_then_push)]
            fn read_keys() -> Vec<&'static str> {
                let mut keys = Vec::new();
                $($crate::reading::read::read_struct!(@key keys, $how $(($($arg)*))?);)*
                keys
            }
        }
    };
    // The fields read from the object `o`, then the value built (a struct, or a struct
    // variant `Enum::Variant` of a tagged enum).
    (@build $o:ident, $($ctor:ident)::+ { $($field:ident : $how:ident $(($($arg:tt)*))?),* $(,)? }) => {{
        $(let $field = $o.keep($crate::reading::read::read_struct!(@get $o, $how $(($($arg)*))?));)*
        match ($($field,)*) {
            ($(Some($field),)*) => Ok($($ctor)::+ { $($field),* }),
            _ => Err($o.error()),
        }
    }};
    (@get $o:ident, flat ($t:ty)) => { <$t as $crate::reading::read::FromObj>::from_obj($o) };
    (@get $o:ident, $how:ident ($($arg:tt)*)) => { $o.$how($($arg)*) };
    (@key $keys:ident, flat ($t:ty)) => { $keys.extend(<$t as $crate::reading::read::tests::Keys>::read_keys()) };
    (@key $keys:ident, or ($key:literal, $($default:tt)*)) => { $keys.push($key) };
    (@key $keys:ident, $how:ident ($key:literal)) => { $keys.push($key) };
}
pub(crate) use read_struct;

/// Every JSON field an object of this type may have, flattened ones included (`read_struct!`
/// writes it; `#[derive(Read)]` builds it from the fields and serde attributes).
pub trait Fields {
    /// The JSON names.
    const FIELDS: &'static [&'static str];
}

/// The names of several lists in one, at compile time: a struct's own JSON fields and those
/// of the structs flattened into it, in field order (`#[derive(Read)]`).
pub const fn concat_fields<const N: usize>(parts: &[&[&'static str]]) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut p, mut n) = (0, 0);
    while p < parts.len() {
        let mut i = 0;
        while i < parts[p].len() {
            out[n] = parts[p][i];
            n += 1;
            i += 1;
        }
        p += 1;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
