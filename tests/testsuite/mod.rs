pub mod common;

mod build;
mod check;
mod copies;
mod memo;
mod serve;
mod site;
