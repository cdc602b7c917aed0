pub mod common;

mod build;
mod check;
mod memo;
mod site;
