//! The words of every explanation, in zh-CN and en: the table of templates the page renders
//! (`www/lib/explain-text.js`), compiled in so that the CLI says exactly what the browser
//! says, and the one renderer of a template on a result as serialized to JSON (the same
//! rules as `fill()` in `www/lib/explain.js`; the syntax is described at the top of the
//! table). Native only: in the wasm the page's own module renders the explanation.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

/// The page's table of templates, compiled in.
const EXPLAIN_TEXT_JS: &str = include_str!("../../www/lib/explain-text.js");

/// A template in both languages.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Template {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// Every template, as `EXPLAIN_TEXT` in `www/lib/explain-text.js` gives it (empty if the
/// object is not strict JSON: `table_is_strict_json` fails then).
pub fn table() -> &'static BTreeMap<String, Template> {
    static TABLE: OnceLock<BTreeMap<String, Template>> = OnceLock::new();
    TABLE.get_or_init(|| parse(EXPLAIN_TEXT_JS).unwrap_or_default())
}

/// The object literal after `EXPLAIN_TEXT = `, up to the line `};`, read as JSON.
fn parse(js: &str) -> Result<BTreeMap<String, Template>, String> {
    let start =
        js.find("EXPLAIN_TEXT = {").ok_or("no `EXPLAIN_TEXT = {`")? + "EXPLAIN_TEXT = ".len();
    let end = start + js[start..].find("\n};").ok_or("no closing `};`")? + 2;
    serde_json::from_str(&js[start..end]).map_err(|e| e.to_string())
}

/// The template `key` in `lang` (`zh…` or anything else for English), if the table has it.
pub fn template(key: &str, lang: &str) -> Option<&'static str> {
    table().get(key).map(|t| {
        if is_zh(lang) {
            t.zh.as_str()
        } else {
            t.en.as_str()
        }
    })
}

/// Whether `lang` asks for Chinese.
pub fn is_zh(lang: &str) -> bool {
    lang.starts_with("zh")
}

/// Renders the template `key` on `v` (a result, or part of one, as JSON); `""` for a key the
/// table does not have.
pub fn fill(key: &str, lang: &str, v: &Value) -> String {
    template(key, lang)
        .map(|t| expand(t, lang, v))
        .unwrap_or_default()
}

fn expand(t: &str, lang: &str, v: &Value) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let Some(close) = rest.find('}') else { break };
        let spec = &rest[1..close];
        rest = &rest[close + 1..];
        if let Some(cond) = spec.strip_prefix('?') {
            let (body, after) = rest.split_once("{/}").unwrap_or((rest, ""));
            if holds(cond, v) {
                out.push_str(&expand(body, lang, v));
            }
            rest = after;
        } else {
            out.push_str(&value(spec, lang, v));
        }
    }
    out.push_str(rest);
    out
}

/// The value at a dotted path (`.` is `v` itself).
fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if path == "." {
        return Some(v);
    }
    path.split('.')
        .try_fold(v, |v, k| v.get(k))
        .filter(|x| !x.is_null())
}

/// A scalar as text; a `{zh, en}` object as its text in `lang`.
fn plain(v: Option<&Value>, lang: &str) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Object(o)) => {
            let (first, second) = if is_zh(lang) {
                ("zh", "en")
            } else {
                ("en", "zh")
            };
            o.get(first)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .or_else(|| o.get(second).and_then(Value::as_str))
                .unwrap_or_default()
                .to_string()
        }
        _ => String::new(),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(_)) => true,
    }
}

fn holds(cond: &str, v: &Value) -> bool {
    if let Some(path) = cond.strip_prefix('!') {
        return !truthy(get(v, path));
    }
    let (path, negate, rhs) = if let Some((p, r)) = cond.split_once("!=") {
        (p, true, r)
    } else if let Some((p, r)) = cond.split_once('=') {
        (p, false, r)
    } else {
        return truthy(get(v, cond));
    };
    let rhs = match rhs.strip_prefix('@') {
        Some(other) => plain(get(v, other), ""),
        None => rhs.to_string(),
    };
    (plain(get(v, path), "") == rhs) != negate
}

fn value(spec: &str, lang: &str, v: &Value) -> String {
    let (path, filter) = spec.split_once('|').unwrap_or((spec, ""));
    let x = get(v, path);
    if x.is_none() {
        return String::new();
    }
    let mut args = filter.split(':');
    let items = || x.and_then(Value::as_array).into_iter().flatten();
    match args.next().unwrap_or_default() {
        "money" => money(&plain(x, lang)),
        "rate" => rate(&plain(x, lang)),
        "next" => x
            .and_then(Value::as_u64)
            .map(|n| (n + 1).to_string())
            .unwrap_or_default(),
        "word" => fill(
            &format!("{}.{}", args.next().unwrap_or_default(), plain(x, lang)),
            lang,
            &Value::Null,
        ),
        "join" => {
            let sep = fill(args.next().unwrap_or_default(), lang, &Value::Null);
            joined(items().map(|e| plain(Some(e), lang)), &sep)
        }
        "each" => {
            let key = args.next().unwrap_or_default();
            let sep = fill(args.next().unwrap_or_default(), lang, &Value::Null);
            joined(items().map(|e| fill(key, lang, e)), &sep)
        }
        "pairs" => joined(
            x.and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, e)| format!("{k}={}", plain(Some(e), lang))),
            ", ",
        ),
        _ => plain(x, lang),
    }
}

fn joined(parts: impl Iterator<Item = String>, sep: &str) -> String {
    parts
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// An amount of yuan as the CLI writes it: `¥` and the decimal the result holds.
pub fn money(s: &str) -> String {
    format!("¥{s}")
}

/// A rate (`"0.855"`) as a percentage (`85.5%`), exactly.
fn rate(s: &str) -> String {
    match crate::Rate::parse_decimal(s) {
        Ok(r) => crate::units::money::format_ppm(r.ppm() as i64 * 100) + "%",
        Err(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table_is_strict_json() {
        let t = parse(EXPLAIN_TEXT_JS).expect("EXPLAIN_TEXT is strict JSON");
        assert_eq!(t.len(), table().len());
        for (k, s) in t {
            assert!(!s.zh.is_empty() || k.starts_with("measure"), "{k}: no zh");
            assert!(!s.en.is_empty(), "{k}: no en");
        }
    }

    /// Every template a template names (`word:`, `each:`, `join:`) exists, and every
    /// `{…}` and `{?…}{/}` is closed, in both languages.
    #[test]
    fn every_referenced_template_exists_and_braces_balance() {
        for (key, t) in table() {
            for text in [&t.zh, &t.en] {
                let opens = text.matches("{?").count();
                assert_eq!(opens, text.matches("{/}").count(), "{key}: {text}");
                assert_eq!(
                    text.matches('{').count(),
                    text.matches('}').count(),
                    "{key}: {text}"
                );
                for spec in text.split('{').skip(1).filter_map(|s| s.split_once('}')) {
                    let (_, filter) = spec.0.split_once('|').unwrap_or((spec.0, ""));
                    let mut a = filter.split(':');
                    match a.next().unwrap_or_default() {
                        "word" => {
                            let prefix = format!("{}.", a.next().unwrap_or_default());
                            assert!(
                                table().keys().any(|k| k.starts_with(&prefix)),
                                "{key}: no {prefix}*"
                            );
                        }
                        "each" | "join" => {
                            for k in a {
                                assert!(table().contains_key(k), "{key}: no template {k}");
                            }
                        }
                        "" | "money" | "rate" | "next" | "pairs" => {}
                        other => panic!("{key}: unknown filter {other}"),
                    }
                }
            }
        }
    }

    #[test]
    fn renders_fields_optional_fragments_words_and_lists() {
        let step = json!({
            "step": "deductible", "amount": "1300.00", "per": "encounter",
            "metBefore": "0.00", "applied": "1300.00", "admission": 2, "pointer": "/x"
        });
        assert_eq!(
            fill("step.deductible", "en", &step),
            "Deductible ¥1300.00 (per encounter, admission 2 of the year); ¥0.00 was met before, ¥1300.00 applied now."
        );
        assert_eq!(
            fill("step.deductible", "zh-CN", &step),
            "起付线 ¥1300.00（每次，本年第 2 次住院），此前已达到 ¥0.00，本次扣除 ¥1300.00。"
        );
        let base = json!({
            "step": "base", "amount": "181000.00",
            "parts": [
                {"bucket": "inScope", "weight": "1", "amount": "180000.00"},
                {"bucket": "firstPay", "weight": "0.5", "amount": "1000.00"}
            ]
        });
        assert_eq!(
            fill("step.base", "en", &base),
            "The cost this benefit sees is ¥181000.00: in-scope ¥180000.00, class-B first-pay ¥1000.00 (counted at 50%)."
        );
        let rounding = json!({"step": "rounding", "exact": "10.00", "rounded": "10.00"});
        assert_eq!(fill("step.rounding", "en", &rounding), "");
        let rounding = json!({"step": "rounding", "exact": "10.005", "rounded": "10.01"});
        assert_eq!(
            fill("step.rounding", "en", &rounding),
            "Exact result 10.005 yuan, rounded half up to the fen: ¥10.01."
        );
        assert_eq!(rate("0.855"), "85.5%");
        assert_eq!(fill("no.such.key", "en", &rounding), "");
    }
}
