//! Limits on input size, and the checks every document gets before it is parsed. Each
//! limit has its own error code, and its message says the limit and the size found, at the
//! JSON path of the offending list (docs/FORMATS.md lists them).

use crate::error::{Error, ErrorCode};

/// Largest JSON document accepted, in bytes (`too_large`).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of arrays and objects in a document (`too_deep`). The deepest valid
/// case nests about a dozen levels.
pub const MAX_DEPTH: usize = 64;
/// Most encounters in one case (`too_many_encounters`).
pub const MAX_ENCOUNTERS: usize = 1_000;
/// Most items in one encounter (`too_many_items`).
pub const MAX_ITEMS_PER_ENCOUNTER: usize = 2_000;
/// Most items in one case (`too_many_items`).
pub const MAX_ITEMS: usize = 20_000;
/// Most programmes in one case (`too_many_programmes`).
pub const MAX_PROGRAMMES: usize = 50;
/// Longest list of names in a case: the member's or an encounter's diagnoses, the
/// enrolments, the layer order (`too_many_names`).
pub const MAX_NAMES: usize = 100;
/// Longest list in a pack or programme: schemes, levels, categories, layers, editions,
/// benefits, bands, caps, adjustments, condition rows and names, codes, donation rounds
/// (`too_many_rules`).
pub const MAX_RULES: usize = 1_000;
/// Most entries in all the lists of one pack or programme together (`too_many_rules`):
/// this bounds the work each item costs. The largest embedded pack holds a few hundred.
pub const MAX_RULES_TOTAL: usize = 10_000;

fn too_large(text: &str) -> Result<(), Error> {
    if text.len() > MAX_BYTES {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "$",
            format!(
                "the document is {} bytes; the limit is {} bytes",
                text.len(),
                MAX_BYTES
            ),
        ));
    }
    Ok(())
}

/// Refuses nesting deeper than [`MAX_DEPTH`], naming where it first goes too deep
/// and how deep the document goes. One pass over the bytes, before anything is parsed.
fn too_deep(text: &str) -> Result<(), Error> {
    let bytes = text.as_bytes();
    // Each level opens with a bracket: a document with no more brackets than the limit
    // (counted in one quick pass, strings included) cannot nest deeper than it.
    if bytes.iter().filter(|&&b| b == b'[' || b == b'{').count() <= MAX_DEPTH {
        return Ok(());
    }
    let (mut depth, mut deepest, mut first) = (0usize, 0usize, None);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if depth > MAX_DEPTH && first.is_none() {
                        first = Some(i);
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    match first {
        None => Ok(()),
        Some(at) => Err(Error::new(
            ErrorCode::TooDeep,
            path_at_offset(text, at),
            format!(
                "the document nests {deepest} levels deep; the limit is {} levels",
                MAX_DEPTH
            ),
        )),
    }
}

/// The checks every document gets before it is parsed: its size and its nesting depth.
pub(crate) fn check_size(text: &str) -> Result<(), Error> {
    too_large(text)?;
    too_deep(text)
}

enum Frame {
    Object {
        key: Option<String>,
        after_colon: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON path of the value at byte `offset` (an opening bracket names the value it opens).
fn path_at_offset(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let target = offset.min(bytes.len().saturating_sub(1));
    let mut stack: Vec<Frame> = Vec::new();
    let mut at_close = false;
    let mut i = 0usize;
    while i <= target && i < bytes.len() {
        match bytes[i] {
            // A problem reported at an opening bracket concerns the value it opens.
            b'{' | b'[' if i == target => break,
            b'{' => stack.push(Frame::Object {
                key: None,
                after_colon: false,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                if i == target {
                    at_close = true;
                    break;
                }
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key, after_colon }) => {
                    *key = None;
                    *after_colon = false;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { after_colon, .. }) = stack.last_mut() {
                    *after_colon = true;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object {
                    key,
                    after_colon: false,
                }) = stack.last_mut()
                {
                    let raw = text.get(start..j.min(bytes.len())).unwrap_or("");
                    *key = Some(match serde_json::from_str(&format!("\"{raw}\"")) {
                        Ok(serde_json::Value::String(k)) => k,
                        _ => raw.to_string(),
                    });
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::from("$");
    let n = stack.len();
    for (k, frame) in stack.iter().enumerate() {
        let innermost = k + 1 == n;
        match frame {
            Frame::Object { key: Some(key), .. } if !(innermost && at_close) => {
                out.push('.');
                out.push_str(key);
            }
            Frame::Array { index } if !(innermost && at_close) => {
                out.push_str(&format!("[{index}]"))
            }
            _ => {}
        }
    }
    out
}
