//! The checks a case must pass against its packs before it is settled: the size limits of
//! its lists, and that every scheme, level, category and name it uses is one the pack
//! declares.

use crate::error::{Error, ErrorCode};
use crate::limits;
use crate::rules::case::Case;

use crate::rules::policy::Pack;

pub(super) fn check_limits(case: &Case) -> Result<(), Error> {
    use crate::reading::limits::*;
    if case.encounters.len() > MAX_ENCOUNTERS {
        return Err(Error::new(
            ErrorCode::TooManyEncounters,
            "$.encounters",
            format!(
                "{} encounters; the limit is {MAX_ENCOUNTERS} per case",
                case.encounters.len()
            ),
        ));
    }
    if case.programmes.len() > MAX_PROGRAMMES {
        return Err(Error::new(
            ErrorCode::TooManyProgrammes,
            "$.programmes",
            format!(
                "{} programmes; the limit is {MAX_PROGRAMMES} per case",
                case.programmes.len()
            ),
        ));
    }
    names(&case.member.diagnoses, || "$.member.diagnoses".into())?;
    names(&case.member.enrolments, || "$.member.enrolments".into())?;
    names(&case.layer_order, || "$.layerOrder".into())?;
    let mut total = 0usize;
    for (i, e) in case.encounters.iter().enumerate() {
        if e.items.len() > MAX_ITEMS_PER_ENCOUNTER {
            return Err(Error::new(
                ErrorCode::TooManyItems,
                format!("$.encounters[{i}].items"),
                format!(
                    "{} items; the limit is {MAX_ITEMS_PER_ENCOUNTER} per encounter",
                    e.items.len()
                ),
            ));
        }
        names(&e.diagnoses, || format!("$.encounters[{i}].diagnoses"))?;
        total += e.items.len();
    }
    if total > MAX_ITEMS {
        return Err(Error::new(
            ErrorCode::TooManyItems,
            "$.encounters",
            format!("{total} items; the limit is {MAX_ITEMS} per case"),
        ));
    }
    Ok(())
}

/// Refuses a list of names longer than [`limits::MAX_NAMES`]; `path` is built only then
/// (this runs on every estimate, for every encounter).
fn names(list: &[String], path: impl FnOnce() -> String) -> Result<(), Error> {
    if list.len() > limits::MAX_NAMES {
        return Err(Error::new(
            ErrorCode::TooManyNames,
            path(),
            format!(
                "{} names; the limit is {} per list",
                list.len(),
                limits::MAX_NAMES
            ),
        ));
    }
    Ok(())
}

/// Checks that the case's names exist in the pack.
pub(super) fn check_case(case: &Case, pack: &Pack) -> Result<(), Error> {
    let mut problems = Vec::new();
    let m = &case.member;
    match pack.schemes.iter().find(|s| s.id == m.scheme) {
        None => problems.push(Error::new(
            ErrorCode::UnknownReference,
            "$.member.scheme",
            format!(
                "scheme \"{}\" is not in pack \"{}\"; expected one of: {}",
                m.scheme,
                pack.id,
                pack.schemes
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        Some(s) => {
            if let Some(g) = &m.group {
                if !s.groups.iter().any(|x| x.id == *g) {
                    problems.push(Error::new(
                        ErrorCode::UnknownReference,
                        "$.member.group",
                        format!(
                            "group \"{g}\" is not a group of scheme \"{}\"; expected one of: {}",
                            s.id,
                            s.groups
                                .iter()
                                .map(|x| x.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
        }
    }
    if let Some(c) = &m.category {
        if c != "none" && !pack.categories.iter().any(|x| x.id == *c) {
            problems.push(Error::new(
                ErrorCode::UnknownReference,
                "$.member.category",
                format!(
                    "category \"{c}\" is not recognised by pack \"{}\"; expected \"none\" or one of: {}",
                    pack.id,
                    pack.categories.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    if let (Some(_), Some(_)) = (m.age, m.birth_date) {
        problems.push(Error::new(
            ErrorCode::Inconsistent,
            "$.member.age",
            "give either age or birthDate, not both",
        ));
    }
    if case.encounters.is_empty() {
        problems.push(Error::new(
            ErrorCode::MissingField,
            "$.encounters",
            "a case needs at least one encounter",
        ));
    }
    for (i, e) in case.encounters.iter().enumerate() {
        if let Some(l) = &e.level {
            if !pack.levels.iter().any(|x| x.id == *l) {
                problems.push(Error::new(
                    ErrorCode::UnknownReference,
                    format!("$.encounters[{i}].level"),
                    format!(
                        "hospital level \"{l}\" is not in pack \"{}\"; expected one of: {}",
                        pack.id,
                        pack.levels
                            .iter()
                            .map(|x| x.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::gather(ErrorCode::InvalidCase, "the case", problems))
    }
}
