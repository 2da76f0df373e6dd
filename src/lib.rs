//! tiercost placeholder
pub fn hello() {}
