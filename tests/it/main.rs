//! The one integration-test binary: builds fixture sites in temp folders and checks them as a reader would.

mod support;

mod authoring;
mod build;
mod cli;
mod errors;
mod feeds;
mod output;
mod scale;
mod serve;
mod theme;
