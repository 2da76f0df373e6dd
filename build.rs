//! Embeds every policy pack and programme under `policies/` (except `policies/extra/`, which
//! is loaded on demand) into the library, and lists the data-driven case files for the wasm
//! tests. The packs are written in both embedded forms (with and without what only planning
//! reads), each with its fingerprint: the library embeds one, and `build_check` (feature
//! `build-check`, the build scripts of wasm/ and cli/) validates both.
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

/// FNV-1a over every document's path and text, in order: the fingerprint of one embedded form
/// (`catalog::EMBEDDED_DIGEST`), which lets an artefact check at compile time that what its
/// build script validated is what it embeds. A check against accidents (a feature set that
/// differs between the build script's copy of the core and the artefact's), not adversaries.
#[derive(Clone, Copy)]
struct Digest(u64);

impl Digest {
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes.iter().chain([&0xff]) {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// One form the packs can be embedded in: the `EMBEDDED` list's code and its digest.
struct Form {
    routes: bool,
    code: String,
    digest: Digest,
}

fn main() {
    // Without the feature `planning` (Cargo.toml): the estimate-only wasm module.
    let routes = std::env::var_os("CARGO_FEATURE_PLANNING").is_some();
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let rel = |f: &Path| {
        f.strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/")
    };

    // The case files, as they are (the wasm tests compare error positions with the native
    // run, which reads the files from disk).
    println!("cargo:rerun-if-changed=tests/cases");
    let mut files = Vec::new();
    collect(&root.join("tests/cases"), &mut files, &[]);
    let mut code = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel(f),
            f.display().to_string()
        ));
    }
    code.push_str("]\n");
    fs::write(out_dir.join("case_files.rs"), code).unwrap();

    // The packs, minified, in both forms (with and without what only planning reads): the
    // core embeds the one its features ask for; `build_check` (feature `build-check`, for the
    // build scripts of wasm/ and cli/) validates both, so that the check does not depend on
    // which features the build script's own copy of the core was built with.
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    collect(&root.join("policies"), &mut files, &["extra"]);
    let mut forms = [true, false].map(|routes| Form {
        routes,
        code: String::from("&[\n"),
        digest: Digest(0xcbf2_9ce4_8422_2325),
    });
    for (i, f) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = fs::read_to_string(f).unwrap();
        for form in &mut forms {
            let embedded = embed_form(&text, form.routes);
            let name = if form.routes { "planning" } else { "estimate" };
            let path = out_dir.join(format!("pack-{i}-{name}.json"));
            fs::write(&path, &embedded).unwrap();
            form.digest.add(rel(f).as_bytes());
            form.digest.add(embedded.as_bytes());
            form.code.push_str(&format!(
                "    ({:?}, include_str!({:?})),\n",
                rel(f),
                path.display().to_string()
            ));
        }
    }
    let mut all = String::from("&[\n");
    for form in &mut forms {
        form.code.push_str("]\n");
        if form.routes == routes {
            fs::write(out_dir.join("embedded_packs.rs"), &form.code).unwrap();
            fs::write(
                out_dir.join("embedded_digest.rs"),
                format!("{:#018x}\n", form.digest.0),
            )
            .unwrap();
        }
        all.push_str(&format!(
            "(\"{}\", {:#018x}, {}),\n",
            if form.routes {
                "planning"
            } else {
                "estimate-only"
            },
            form.digest.0,
            form.code
        ));
    }
    all.push_str("]\n");
    fs::write(out_dir.join("embedded_forms.rs"), all).unwrap();
    fs::write(out_dir.join("embedded_index.rs"), index(&files)).unwrap();
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
