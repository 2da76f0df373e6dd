//! The rules and what they apply to: the case a family brings ([`case`]), the policy pack
//! with its dated editions, layers and benefits ([`policy`]), the choices and conditions a
//! rule can depend on ([`choice`], [`condition`]), the catalogue of built-in packs and
//! programmes ([`catalog`]; [`build_check`] validates the embedded ones when the artefacts that
//! ship them are built), the checks a pack must pass before it is used (`validate`), and
//! the annual rollover checklist of sources (`stale`).

pub mod build_check;
pub mod case;
pub mod catalog;
pub mod choice;
pub mod condition;
pub mod member;
pub mod policy;
#[cfg(not(target_arch = "wasm32"))]
pub mod stale;
pub mod text;
pub(crate) mod validate;
