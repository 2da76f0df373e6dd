//! The layout rule of issue 18: no source file in `src/` over 800 lines, so that each stays one
//! concept a newcomer can read (split a file that grows past it by what it does).

use std::path::Path;

const MAX_LINES: usize = 800;

fn walk(dir: &Path, over: &mut Vec<String>, seen: &mut usize) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, over, seen);
        } else if path.extension().is_some_and(|e| e == "rs") {
            *seen += 1;
            let lines = std::fs::read_to_string(&path)
                .expect("a source file")
                .lines()
                .count();
            if lines > MAX_LINES {
                over.push(format!("{} ({lines} lines)", path.display()));
            }
        }
    }
}

#[test]
fn no_source_file_is_over_800_lines() {
    let (mut over, mut seen) = (Vec::new(), 0);
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut over,
        &mut seen,
    );
    assert!(seen > 50, "only {seen} files found under src/");
    assert!(over.is_empty(), "over {MAX_LINES} lines: {over:?}");
}
