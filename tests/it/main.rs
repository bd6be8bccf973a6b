//! The one integration-test binary: builds fixture sites in temp folders and checks them as a reader would.

mod support;

mod authoring;
mod bad_input;
mod build;
mod cli;
mod errors;
mod escaping;
mod feeds;
mod output;
mod scale;
mod security;
mod serve;
mod theme;
