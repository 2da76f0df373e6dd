//! Reading documents: the size and depth limits checked before any parsing ([`limits`]) and
//! the one reader that turns a JSON value into a typed pack, case or plan with the path of
//! every error ([`read`]).

pub mod limits;
pub mod read;
