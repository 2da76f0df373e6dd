//! Text in both languages the page speaks (zh-CN and en): names, reasons, notes — every
//! sentence a rule or a result carries.

use serde::Serialize;
use tiercost_derive::Read;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A text in both languages the page speaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Read)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang` (`"zh-CN"`, `"zh"`, anything else is English).
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("zh") {
            &self.zh
        } else {
            &self.en
        }
    }

    pub(crate) fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}
