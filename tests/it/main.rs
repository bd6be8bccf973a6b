//! The one integration-test binary: builds fixture sites in temp folders and checks them as a reader would.

mod support;

mod bad_input;
mod build;
mod escaping;
mod security;
