//! The embedded packs validated when the artefacts that ship them are built.
//!
//! A build script cannot call the crate it builds, so the crates that ship the embedded data
//! — `tiercost-wasm` (wasm/) and `tiercost-cli` (cli/) — list the core as a build-dependency
//! with the feature `build-check` (compiled for the build machine) and call [`run`] from their
//! `build.rs`: every form the core's build.rs can embed the documents in is checked with
//! [`Catalog::check_documents`], and a problem fails the build with its code, path and
//! message. The artefact then expands [`crate::embedded_validated!`] and turns on the core's
//! feature `embedded-prevalidated`, so that its embedded packs are not validated again when
//! first loaded (`Catalog::resolve_prevalidated`).

use crate::error::Error;
use crate::rules::catalog::Catalog;

/// `(path, JSON text)` documents, as [`crate::catalog::EMBEDDED`] holds them.
pub type Documents<'a> = &'a [(&'a str, &'a str)];

/// Every form build.rs can embed the documents in, `(name, fingerprint, documents)`: with what only the
/// planning functions read (the feature `planning`) and without it (the estimate-only wasm
/// module). Both are checked, whichever features this copy of the core was built with.
#[cfg(feature = "build-check")]
pub const FORMS: &[(&str, u64, Documents)] =
    include!(concat!(env!("OUT_DIR"), "/embedded_forms.rs"));

/// The fingerprint build.rs writes for one form ([`crate::catalog::EMBEDDED_DIGEST`]):
/// FNV-1a, 64 bits, over every document's path and text, each followed by `0xff`.
pub fn digest(docs: Documents) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, text) in docs {
        for bytes in [path.as_bytes(), text.as_bytes()] {
            for b in bytes.iter().chain([&0xff]) {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    h
}

/// Checks every form: the fingerprints of the forms, all valid, or one line per problem
/// (`error[code] at document:$.path: message (form …)`), a problem found in several forms
/// once.
pub fn check_forms(forms: &[(&str, Documents)]) -> Result<Vec<u64>, Vec<String>> {
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, docs) in forms {
        for problem in Catalog::check_documents(docs) {
            for leaf in leaves(&problem) {
                let line = format!("error[{}] at {}: {}", leaf.code, leaf.path, leaf.message);
                match lines.iter_mut().find(|(l, _)| *l == line) {
                    Some((_, in_forms)) => in_forms.push(name),
                    None => lines.push((line, vec![name])),
                }
            }
        }
    }
    if lines.is_empty() {
        return Ok(forms.iter().map(|(_, docs)| digest(docs)).collect());
    }
    Err(lines
        .into_iter()
        .map(|(line, in_forms)| format!("{line} (form {})", in_forms.join(", ")))
        .collect())
}

/// The problems that say what is wrong: a gathered error's own problems, not its summary.
fn leaves(e: &Error) -> Vec<&Error> {
    if e.problems.is_empty() {
        vec![e]
    } else {
        e.problems.iter().flat_map(leaves).collect()
    }
}

/// What the build script of an artefact that embeds the packs calls: checks every form
/// ([`FORMS`], [`check_forms`]); each problem becomes a `cargo::error=` line, which fails the
/// build; when there is none, writes the validated fingerprints to
/// `$OUT_DIR/validated_embedded.rs` for [`crate::embedded_validated!`].
#[cfg(feature = "build-check")]
pub fn run() {
    let forms: Vec<(&str, Documents)> =
        FORMS.iter().map(|(name, _, docs)| (*name, *docs)).collect();
    match check_forms(&forms) {
        Ok(digests) => {
            // build.rs and `digest` compute the same fingerprint.
            for ((name, expected, _), got) in FORMS.iter().zip(&digests) {
                assert_eq!(expected, got, "the fingerprint of form {name}");
            }
            let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
            let list: Vec<String> = digests.iter().map(|d| format!("{d:#018x}")).collect();
            std::fs::write(
                out.join("validated_embedded.rs"),
                format!("&[{}]\n", list.join(", ")),
            )
            .expect("write validated_embedded.rs");
        }
        Err(lines) => {
            println!(
                "cargo::error=the embedded policy documents (policies/) do not validate: {} problem{}",
                lines.len(),
                if lines.len() == 1 { "" } else { "s" }
            );
            for line in lines {
                println!("cargo::error={line}");
            }
        }
    }
}

/// Whether `digest` is one of `validated` (for [`crate::embedded_validated!`], at compile
/// time).
#[doc(hidden)]
pub const fn digest_in(digest: u64, validated: &[u64]) -> bool {
    let mut i = 0;
    while i < validated.len() {
        if validated[i] == digest {
            return true;
        }
        i += 1;
    }
    false
}

/// Asserts at compile time that the documents this build embeds
/// ([`crate::catalog::EMBEDDED`]) are ones the crate's build script validated
/// ([`build_check::run`](crate::build_check), which writes `$OUT_DIR/validated_embedded.rs`).
/// Expanded once by each crate that turns on the core's feature `embedded-prevalidated`.
#[macro_export]
macro_rules! embedded_validated {
    () => {
        const _: () = assert!(
            $crate::build_check::digest_in(
                $crate::catalog::EMBEDDED_DIGEST,
                include!(concat!(env!("OUT_DIR"), "/validated_embedded.rs")),
            ),
            "the policy documents this build embeds are not ones its build script validated \
             (tiercost::build_check::run checks every form build.rs writes)"
        );
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{EMBEDDED, EMBEDDED_DIGEST};

    const BASE: &str = r#"{"id": "base", "kind": "national", "name": {"zh": "基", "en": "Base"},
      "version": "1", "rulesAsOf": "2025-01-01",
      "sources": {"S1": {"title": "Base rules", "document": "医保发〔2025〕1号", "grade": "A"}},
      "schemes": [{"id": "resident", "name": {"zh": "居民", "en": "Resident"},
                   "groups": [{"id": "adult", "name": {"zh": "成人", "en": "Adult"}}]}],
      "layers": [{"id": "basic", "kind": "basic", "name": {"zh": "基本医保", "en": "Basic"},
        "editions": [{"from": "2025-01-01", "sources": ["S1"],
          "benefits": [{"id": "inpatient", "base": {"buckets": {"inScope": "1"}},
            "deductible": {"amount": "1000", "per": "year"}, "rate": {"flat": "0.7"}}]}]}]}"#;

    /// The check a build runs bites: a document citing a source it does not declare, one
    /// extending a pack that is not there and one that is not JSON each fail it, with the
    /// validator's code and the path into the document; valid documents pass.
    #[test]
    fn a_broken_document_fails_the_build_check() {
        let p = Catalog::check_documents(&[("base.json", BASE)]);
        assert!(p.is_empty(), "{p:#?}");
        let good: Documents = &[("base.json", BASE)];
        assert_eq!(check_forms(&[("one", good)]), Ok(vec![digest(good)]));

        let bad_source = BASE.replace(r#""sources": ["S1"]"#, r#""sources": ["S9"]"#);
        let orphan = BASE
            .replace(r#""id": "base""#, r#""id": "child", "extends": "nowhere""#)
            .replace("\"kind\": \"national\"", "\"kind\": \"region\"");
        let broken: Documents = &[
            ("base.json", &bad_source),
            ("child.json", &orphan),
            ("bad.json", "{ not json"),
        ];
        let problems = Catalog::check_documents(broken);
        assert_eq!(problems.len(), 3, "{problems:#?}");
        let lines = check_forms(&[("estimate-only", broken), ("planning", broken)]).unwrap_err();
        let text = lines.join("\n");
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with("error[") && l.ends_with("(form estimate-only, planning)")),
            "{text}"
        );
        assert!(
            text.contains("at base:$.layers[0].editions[0].sources[0]") && text.contains("S9"),
            "the unknown source, with its path: {text}"
        );
        assert!(
            text.contains("error[unknown_pack] at child:$.extends"),
            "{text}"
        );
        assert!(text.contains("at bad.json:$"), "{text}");
        // The problems of one form only name that form.
        let lines = check_forms(&[("planning", good), ("estimate-only", broken)]).unwrap_err();
        assert!(lines.iter().all(|l| l.ends_with("(form estimate-only)")));
    }

    /// build.rs and [`digest`] agree, so the compile-time assertion compares like with like.
    #[test]
    fn build_rs_and_digest_agree() {
        assert_eq!(digest(EMBEDDED), EMBEDDED_DIGEST);
        assert!(digest_in(EMBEDDED_DIGEST, &[1, EMBEDDED_DIGEST]));
        assert!(!digest_in(EMBEDDED_DIGEST, &[EMBEDDED_DIGEST ^ 1]));
    }
}
