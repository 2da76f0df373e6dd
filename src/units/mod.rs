//! The units every rule and result is written in: money in whole fen, exact rates and
//! ratios ([`money`]), and calendar dates with policy years ([`date`]).

pub mod date;
pub mod money;
pub mod ratio;
