//! Validates the embedded policy documents before the command line is built: a problem fails the
//! build with its code, path and message (`tiercost::build_check`), so it can load its
//! embedded packs without validating them again (the core's feature `embedded-prevalidated`).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    tiercost::build_check::run();
}
