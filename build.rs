//! Embeds every policy pack and programme under `policies/` (except `policies/extra/`, which
//! is loaded on demand) into the library, and lists the data-driven case files for the wasm
//! tests.
use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>, skip: &[&str]) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if !skip.iter().any(|s| p.file_name().is_some_and(|n| n == *s)) {
                collect(&p, out, skip);
            }
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// JSON without the whitespace between tokens (strings untouched): the embedded packs are
/// pretty-printed for people, and their indentation would otherwise ship in the wasm.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// Removes every gap's `lead` (unverified figures for reviewers) anywhere in `v`.
fn drop_leads(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            if o.contains_key("what") {
                o.remove("lead");
            }
            o.values_mut().for_each(drop_leads);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(drop_leads),
        _ => {}
    }
}

/// The form a pack is embedded in: minified, without what only a reviewer reads — each
/// source's `note` and `quote`, the pack's `notes`, each layer's `note` and the gaps' `lead`s
/// (they stay in the files under `policies/`; estimates cite a source by title, document,
/// address, date, grade and validity). Text that is not JSON is only minified, so the loader reports it as it is.
///
/// Without `routes` (the feature `planning` off: the estimate-only wasm module) also without
/// how to apply — the layers' `apply` and the pack's `certification` — which only help still
/// available reads, in the planning module.
fn embed_form(json: &str, routes: bool) -> String {
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(json) else {
        return minify(json);
    };
    if let Some(o) = doc.as_object_mut() {
        o.remove("notes");
        if !routes {
            o.remove("certification");
        }
        if let Some(layers) = o.get_mut("layers").and_then(|l| l.as_array_mut()) {
            for l in layers.iter_mut().filter_map(|l| l.as_object_mut()) {
                l.remove("note");
                if !routes {
                    l.remove("apply");
                }
            }
        }
        if let Some(sources) = o.get_mut("sources").and_then(|s| s.as_object_mut()) {
            for s in sources.values_mut().filter_map(|s| s.as_object_mut()) {
                s.remove("note");
                s.remove("quote");
            }
        }
    }
    drop_leads(&mut doc);
    doc.to_string()
}

fn main() {
    // Without the feature `planning` (Cargo.toml): the estimate-only wasm module.
    let routes = std::env::var_os("CARGO_FEATURE_PLANNING").is_some();
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for (dir, file, skip) in [
        ("policies", "embedded_packs.rs", vec!["extra"]),
        ("tests/cases", "case_files.rs", vec![]),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&root.join(dir), &mut files, &skip);
        let mut code = String::from("&[\n");
        for (i, f) in files.iter().enumerate() {
            println!("cargo:rerun-if-changed={}", f.display());
            let rel = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Packs are embedded minified; case files as they are (the wasm tests compare
            // error positions with the native run, which reads the files from disk).
            let embedded = if dir == "policies" {
                let min = out_dir.join(format!("pack-{i}.json"));
                fs::write(&min, embed_form(&fs::read_to_string(f).unwrap(), routes)).unwrap();
                min
            } else {
                f.clone()
            };
            code.push_str(&format!(
                "    ({rel:?}, include_str!({:?})),\n",
                embedded.display().to_string()
            ));
        }
        code.push_str("]\n");
        fs::write(out_dir.join(file), code).unwrap();
        if dir == "policies" {
            fs::write(out_dir.join("embedded_index.rs"), index(&files)).unwrap();
        }
    }
}

/// `(id, version, extends, position in EMBEDDED)` of every embedded document, sorted by id:
/// the catalogue finds a pack, and the data version, without parsing every document. A
/// document that is not JSON with an id is left out (`Catalog::problems` reports it); of two
/// with one id, the later one counts, as when the catalogue loads them all.
fn index(files: &[PathBuf]) -> String {
    let mut rows = std::collections::BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&fs::read_to_string(f).unwrap())
        else {
            continue;
        };
        let field = |k: &str| doc.get(k).and_then(|v| v.as_str()).map(str::to_string);
        if let Some(id) = field("id") {
            rows.insert(
                id,
                (field("version").unwrap_or_default(), field("extends"), i),
            );
        }
    }
    let mut code = String::from("&[\n");
    for (id, (version, extends, i)) in rows {
        code.push_str(&format!("    ({id:?}, {version:?}, {extends:?}, {i}),\n"));
    }
    code.push_str("]\n");
    code
}
