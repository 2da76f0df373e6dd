//! Planning: the questions a social worker asks after one estimate. A course of treatment
//! month by month ([`plan`]), variants against a base ([`scenario`]), the aid or the bill that
//! meets a target ([`inverse`]), the spread when facts are unknown ([`range`]), the share
//! against household income ([`burden`]), and the help the family could still apply for
//! ([`help_available`]). Everything here settles through [`crate::estimate()`].

pub mod burden;
pub mod help_available;
pub mod inverse;
pub mod plan;
pub mod range;
pub mod scenario;
