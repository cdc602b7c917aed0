pub mod common;

mod bounded;
mod build;
mod check;
mod cli;
mod copies;
mod i18n;
mod memo;
mod output;
mod places;
mod register;
mod release;
mod serve;
mod site;
mod start;
mod tagged;
mod urdu;
mod written;
