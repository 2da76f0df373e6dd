//! Validates the embedded policy documents before this module is built: a problem fails the
//! build with its code, path and message (`tiercost::build_check`), so the module can load its
//! embedded packs without validating them again (the core's feature `embedded-prevalidated`).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    tiercost::build_check::run();
}
