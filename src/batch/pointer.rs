//! JSON pointers into a batch's template: a mapping's `to` read as tokens and as the engine's
//! JSON path, the parents a column's field needs made in the template, and a row's cell set
//! into (or, left empty, taken back out of) the case.

use serde_json::{Map, Value};

/// A JSON pointer's unescaped tokens (`~1` is `/`, `~0` is `~`); at least one.
pub(super) fn pointer_tokens(pointer: &str) -> Result<Vec<String>, String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!(
            "\"{pointer}\" is not a JSON pointer: it starts with / (e.g. \"/member/category\")"
        ));
    };
    let tokens: Vec<String> = rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    if tokens.iter().any(String::is_empty) {
        return Err(format!("\"{pointer}\" has an empty step"));
    }
    Ok(tokens)
}

/// The JSON path of a pointer's tokens, as the engine's errors write paths.
pub(super) fn json_path(tokens: &[String]) -> String {
    let mut p = String::from("$");
    for t in tokens {
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            p.push('[');
            p.push_str(t);
            p.push(']');
        } else {
            p.push('.');
            p.push_str(t);
        }
    }
    p
}

/// Walks the template to the parent of the pointer's field, creating missing object members
/// (as objects); an array index must exist.
pub(super) fn make_parents(case: &mut Value, tokens: &[String]) -> Result<(), String> {
    let mut at = case;
    let mut walked = String::new();
    let (last, parents) = tokens.split_last().unwrap_or((&tokens[0], &[]));
    for t in parents {
        walked.push('/');
        walked.push_str(t);
        at = match at {
            Value::Object(m) => m
                .entry(t.clone())
                .or_insert_with(|| Value::Object(Map::new())),
            Value::Array(a) => match t.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(v) => v,
                None => {
                    return Err(format!(
                        "the template has no element {walked}: add it to the template (with the fields no column fills)"
                    ))
                }
            },
            _ => return Err(format!("{walked} is not an object or an array in the template")),
        };
    }
    match at {
        Value::Object(_) => Ok(()),
        Value::Array(a) if last.parse::<usize>().is_ok_and(|i| i < a.len()) => Ok(()),
        Value::Array(_) => Err(format!(
            "the template has no element /{}: add it to the template",
            tokens.join("/")
        )),
        _ => Err(format!(
            "{walked} is not an object or an array in the template"
        )),
    }
}

/// Sets the field at the pointer (whose parents exist: [`make_parents`]), or with `None`
/// removes it (an object's member; an array element is never absent in the template).
pub(super) fn set(case: &mut Value, tokens: &[String], value: Option<Value>) -> bool {
    let Some((last, parents)) = tokens.split_last() else {
        return false;
    };
    let mut at = case;
    for t in parents {
        at = match at {
            Value::Object(m) => match m.get_mut(t) {
                Some(v) => v,
                None => return false,
            },
            Value::Array(a) => match t.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match at {
        Value::Object(m) => {
            match value {
                // Over the earlier row's value, without a new key when there is one.
                Some(v) => match m.get_mut(last) {
                    Some(slot) => *slot = v,
                    None => {
                        m.insert(last.clone(), v);
                    }
                },
                None => {
                    m.remove(last);
                }
            }
            true
        }
        Value::Array(a) => match (last.parse::<usize>().ok().and_then(|i| a.get_mut(i)), value) {
            (Some(slot), Some(v)) => {
                *slot = v;
                true
            }
            _ => false,
        },
        _ => false,
    }
}
