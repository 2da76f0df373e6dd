//! The sentence a person reads for each error code, in zh-CN and en: the table the page, the
//! widget and the playground use (`www/lib/errors.js`), read from that file so that the CLI
//! and the case-file corpus say exactly what the browser says. Not in the wasm: there the
//! page's own module shows the sentences.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The page's table of sentences, compiled in.
const ERRORS_JS: &str = include_str!("../../www/lib/errors.js");

/// A sentence in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// Every code's sentence, as `ERROR_SENTENCES` in `www/lib/errors.js` gives it.
pub fn all() -> &'static BTreeMap<String, Sentence> {
    static TABLE: OnceLock<BTreeMap<String, Sentence>> = OnceLock::new();
    TABLE.get_or_init(|| parse(ERRORS_JS))
}

/// The sentence for `code` (a stable error code such as `unknown_field`), if the table has one.
pub fn sentence(code: &str) -> Option<&'static Sentence> {
    all().get(code)
}

/// Reads the lines `  code: { zh: "…", en: "…" },` of the `ERROR_SENTENCES` object.
fn parse(js: &str) -> BTreeMap<String, Sentence> {
    let mut out = BTreeMap::new();
    let Some(start) = js.find("ERROR_SENTENCES = {") else {
        return out;
    };
    for line in js[start..].lines().skip(1) {
        let line = line.trim();
        if line.starts_with("};") {
            break;
        }
        let Some((code, rest)) = line.split_once(':') else {
            continue;
        };
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue;
        }
        if let (Some(zh), Some(en)) = (string_after(rest, "zh:"), string_after(rest, "en:")) {
            out.insert(code.to_string(), Sentence { zh, en });
        }
    }
    out
}

/// The double-quoted string literal after `key` in `s` (its escapes are JSON's).
fn string_after(s: &str, key: &str) -> Option<String> {
    let rest = s[s.find(key)? + key.len()..].trim_start();
    let body = rest.strip_prefix('"')?;
    let mut end = None;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    serde_json::from_str(&format!("\"{}\"", &body[..end?])).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the engine declares has a sentence in both languages (the page's test
    /// checks the same through the wasm's `errorCodes()`).
    #[test]
    fn every_code_has_a_sentence_in_both_languages() {
        for code in crate::ErrorCode::ALL {
            let s = sentence(code.as_str()).unwrap_or_else(|| panic!("no sentence for {code}"));
            assert!(!s.zh.is_empty() && !s.en.is_empty(), "{code}");
        }
        assert_eq!(
            sentence("number_not_string").map(|s| s.en.as_str()),
            Some(
                "Amounts and rates must be written as quoted text, so no rounding error creeps in."
            )
        );
        assert!(sentence("not_initialized").is_some());
    }
}
