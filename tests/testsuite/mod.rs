pub mod common;

mod build;
mod check;
mod cli;
mod copies;
mod memo;
mod output;
mod serve;
mod site;
mod urdu;
