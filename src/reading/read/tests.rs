//! The reader's tests: every struct's reader accepts exactly the JSON fields it lists
//! (`read_struct!`), every enum its variants, and errors carry the path of the offending value.

use super::*;

/// The JSON fields a struct's reader accepts and the ones it reads (`read_struct!`).
pub(crate) trait Keys {
    const LISTED: &'static [&'static str];
    fn read_keys() -> Vec<&'static str>;
}

fn keys_agree<T: Keys>(name: &str) {
    let mut listed = T::LISTED.to_vec();
    let mut read = T::read_keys();
    listed.sort_unstable();
    read.sort_unstable();
    assert_eq!(
        listed, read,
        "{name}: the accepted fields are not the fields read"
    );
}

/// For every struct: the fields `Obj::new` accepts are exactly the fields read, so no
/// field is refused as unknown while being read, or accepted and silently dropped.
#[test]
fn accepted_fields_are_the_fields_read() {
    use crate::rules::case::*;
    use crate::rules::condition::*;
    use crate::rules::policy::*;
    macro_rules! check {
        ($($t:ty),*) => { $(keys_agree::<$t>(stringify!($t));)* };
    }
    check!(
        Text,
        Source,
        Pack,
        Scheme,
        Named,
        HowToApply,
        Level,
        Effective,
        Provenance,
        Gap,
        GeneralEdition,
        Split,
        Layer,
        Requirement,
        Enrolment,
        ProgrammeStatus,
        Edition,
        Benefit,
        ItemFilter,
        BucketWeights,
        Base,
        Deductible,
        LaterAdmissions,
        RateRule,
        Bands,
        Band,
        Adjustment,
        Cap,
        Donation,
        DonationRound,
        Case,
        ProgrammeRef,
        Member,
        Encounter,
        Item,
        Condition,
        IncomeLine
    );
}

/// Every variant of an enum read by `read_enum!`.
pub(crate) trait Variants: Sized + Copy + 'static {
    const ALL: &'static [Self];
}

/// Each variant's JSON name (as serde writes it) reads back as that variant, with
/// `Read` and with serde alike.
fn names_agree<T>()
where
    T: Variants
        + Read
        + serde::Serialize
        + serde::de::DeserializeOwned
        + PartialEq
        + std::fmt::Debug,
{
    for v in T::ALL {
        let json = serde_json::to_value(v).unwrap();
        assert_eq!(T::read(&json, At::Root("$")).unwrap(), *v);
        assert_eq!(serde_json::from_value::<T>(json).unwrap(), *v);
    }
}

#[test]
fn enum_names_agree_with_serde() {
    use crate::rules::case::{Class, Locality, Setting};
    use crate::rules::policy::{Bucket, CapOn, Grade, LayerKind, Measure, PackKind, Per};
    names_agree::<PackKind>();
    names_agree::<Grade>();
    names_agree::<LayerKind>();
    names_agree::<Bucket>();
    names_agree::<Per>();
    names_agree::<Measure>();
    names_agree::<CapOn>();
    names_agree::<Setting>();
    names_agree::<Locality>();
    names_agree::<Class>();
    let e = Class::read(&serde_json::json!("d"), At::Root("$")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidValue);
    assert!(
        e.message.starts_with("unknown variant `d`"),
        "{}",
        e.message
    );
    assert_eq!(
        Class::read(&serde_json::json!("乙"), At::Root("$")).unwrap(),
        Class::B
    );
}
use crate::rules::policy::Pack;
use crate::ErrorCode;

#[test]
fn the_nearest_known_name_is_suggested_only_when_near() {
    let benefit = [
        "id",
        "name",
        "base",
        "deductible",
        "rate",
        "caps",
        "lumpSum",
    ];
    assert_eq!(nearest("deductable", &benefit), Some("deductible"));
    assert_eq!(nearest("nmae", &benefit), Some("name"));
    assert_eq!(nearest("lump_sum", &benefit), Some("lumpSum"));
    assert_eq!(nearest("Rate", &benefit), Some("rate"));
    assert_eq!(nearest("colour", &benefit), None);
    assert_eq!(nearest("d", &["a", "b", "c"]), None);
}

#[test]
fn every_unknown_field_of_a_document_is_listed() {
    let e = read_str::<crate::Case>(
        r#"{"member": {"scheme": "x", "Group": "a", "nick": 1}, "encounters": [], "colour": 1}"#,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownField);
    let paths: Vec<&str> = e.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        ["$.colour", "$.member.Group", "$.member.nick"],
        "{e}"
    );
    assert!(
        e.problems[1].message.contains("did you mean `group`?"),
        "{e}"
    );
    // Read through serde (the planning documents), an object's unknown fields come together.
    let e = crate::rules::case::Member::read(
        &serde_json::json!({"scheme": "x", "a1": 1, "b2": 2}),
        At::Root("$.m"),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str(), e.problems.len()),
        (ErrorCode::UnknownField, "$.m", 2)
    );
}

#[test]
fn paths_are_kept_while_reading() {
    let v: Value = serde_json::json!({"a": [{"b": 1}]});
    let inner = At::Root("$");
    let a = At::Key(&inner, "a");
    let first = At::Index(&a, 0);
    assert_eq!(At::Key(&first, "b").path(), "$.a[0].b");
    assert_eq!(
        invalid_type(&v["a"], "a string", a).to_string(),
        "invalid_type at $.a: invalid type: sequence, expected a string"
    );
}

#[test]
fn unknown_missing_and_wrong_types_have_serde_messages_and_our_paths() {
    let e = read_str::<crate::Case>(r#"{"member": {"scheme": "x", "nick": 1}}"#).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownField);
    // The unknown field, and the problem met after it: both are listed.
    let p = &e.problems[0];
    assert_eq!(p.path, "$.member.nick");
    assert!(p
        .message
        .starts_with("unknown field `nick`, expected one of"));
    assert_eq!(
        (e.problems[1].code, e.problems[1].path.as_str()),
        (ErrorCode::MissingField, "$")
    );
    let e = read_str::<crate::Case>(r#"{"member": {"scheme": "x"}}"#).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::MissingField, "$"));
    assert_eq!(e.message, "missing field `encounters`");
    let e = read_str::<Pack>(r#"{"id": 5}"#).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidType, "$.id"));
}

/// Every JSON name a reader knows is the name serde writes: each embedded pack, written
/// out by its `Serialize` derive and read back, is the same pack (a field whose name in
/// `read_struct!` differs from serde's would be refused as unknown, or lost).
#[test]
fn written_packs_read_back_the_same() {
    let mut read = 0;
    for (file, text) in crate::rules::catalog::EMBEDDED {
        let pack: Pack = read_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let written = serde_json::to_value(&pack).unwrap();
        assert_eq!(Pack::read(&written, At::Root("$")).unwrap(), pack, "{file}");
        read += 1;
    }
    assert!(read >= 10, "only {read} embedded documents");
}

#[test]
fn the_first_field_that_fails_is_reported() {
    let item = |json: &str| {
        crate::rules::case::Item::read(&serde_json::from_str(json).unwrap(), At::Root("$"))
            .unwrap_err()
    };
    // Fields are read in their declared order: amount before class.
    let e = item(r#"{"class": "z", "amount": "x"}"#);
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidAmount, "$.amount")
    );
    let e = item(r#"{"class": "z", "amount": "1"}"#);
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidValue, "$.class")
    );
    // A flattened struct's fields (an edition's dates) come where the struct is declared.
    let e = crate::rules::policy::Edition::read(
        &serde_json::json!({"from": "2025-13-01", "sources": [], "caps": 5}),
        At::Root("$"),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidDate, "$.from")
    );
}

#[test]
fn serde_users_get_the_code_and_path_in_the_message() {
    let text = r#"{"member": {"scheme": "x"}, "encounters": [{"date": "2025-02-30", "setting": "inpatient"}]}"#;
    let direct = read_str::<crate::Case>(text).unwrap_err();
    assert_eq!(direct.code, ErrorCode::InvalidDate);
    assert_eq!(direct.path, "$.encounters[0].date");
    let e = serde_json::from_str::<crate::Case>(text).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("invalid_date at $.encounters[0].date: "),
        "{e}"
    );
}

#[test]
fn tagged_enums_read_the_tag_then_the_variant_beside_it() {
    use crate::planning::plan::{Course, Plan};
    use crate::planning::scenario::Preset;
    let plan = |courses: serde_json::Value| {
        read_value::<Plan>(
            &serde_json::json!({"start": "2025-01-01", "months": 2, "courses": courses}),
            "$.plan",
        )
    };
    // A newtype variant: the struct's fields sit beside `kind`.
    let p = plan(serde_json::json!([{"kind": "visits", "perMonth": 2, "each": "10"}])).unwrap();
    assert!(matches!(&p.courses[0], Course::Visits(v) if v.per_month == 2));
    let problem = |courses: serde_json::Value| {
        let e = plan(courses).unwrap_err();
        (e.code, e.path, e.message)
    };
    let (code, path, message) = problem(serde_json::json!([{"kind": "surgery"}]));
    assert_eq!(
        (code, path.as_str()),
        (ErrorCode::InvalidValue, "$.plan.courses[0].kind")
    );
    assert!(
        message.contains("expected one of `drug`, `admissions`, `visits`"),
        "{message}"
    );
    let (code, path, _) = problem(serde_json::json!([{"count": 1}]));
    assert_eq!(
        (code, path.as_str()),
        (ErrorCode::MissingField, "$.plan.courses[0]")
    );
    let (code, path, _) = problem(serde_json::json!(["drug"]));
    assert_eq!(
        (code, path.as_str()),
        (ErrorCode::InvalidType, "$.plan.courses[0]")
    );
    let (code, path, message) =
        problem(serde_json::json!([{"kind": "visits", "perMonth": 1, "eech": "1"}]));
    assert_eq!(
        (code, path.as_str()),
        (ErrorCode::UnknownField, "$.plan.courses[0].eech")
    );
    assert!(message.contains("did you mean `each`?"), "{message}");
    let (code, path, _) = problem(serde_json::json!([{"kind": "admissions", "count": "1"}]));
    assert_eq!(
        (code, path.as_str()),
        (ErrorCode::InvalidType, "$.plan.courses[0].count")
    );
    // A struct variant.
    let read = |v: serde_json::Value| read_value::<Preset>(&v, "$");
    assert_eq!(
        read(serde_json::json!({"kind": "locality", "locality": "out_of_province"})).unwrap(),
        Preset::Locality {
            locality: crate::rules::case::Locality::OutOfProvince,
            filed: None
        }
    );
    let e = read(serde_json::json!({"kind": "enrol", "product": "a", "id": "b"})).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::UnknownField, "$.id"));
    let e = read(serde_json::json!({"kind": "enrol"})).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (ErrorCode::MissingField, "$"));
}

#[test]
fn untagged_enums_take_the_first_variant_that_reads() {
    use crate::planning::inverse::{Scale, TotalTag};
    let read = |v: serde_json::Value| read_value::<Scale>(&v, "$.scale");
    assert_eq!(
        read(serde_json::json!("total")).unwrap(),
        Scale::Total(TotalTag::Total)
    );
    assert_eq!(
        read(serde_json::json!({"encounter": 1, "item": 2})).unwrap(),
        Scale::Encounter {
            encounter: 1,
            item: Some(2)
        }
    );
    // A field of another variant is not noted as the document's unknown field.
    assert_eq!(
        read(serde_json::json!({"course": 3})).unwrap(),
        Scale::Course { course: 3 }
    );
    for bad in [
        serde_json::json!({"course": 3, "item": 1}),
        serde_json::json!("all"),
        serde_json::json!({"encounter": -1}),
    ] {
        let e = read(bad).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            (ErrorCode::InvalidValue, "$.scale")
        );
        assert_eq!(
            e.message,
            "data did not match any variant of untagged enum Scale"
        );
    }
}
