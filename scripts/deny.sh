#!/bin/sh
# Supply-chain checks for CI: licences and bans always; RustSec advisories when the database can be fetched.
# Needs cargo-deny (`cargo install cargo-deny --locked`, about 4 minutes on 2 cores).
set -eu
cd "$(dirname "$0")/.."
cargo deny check licenses bans sources
if cargo deny fetch db >/dev/null 2>&1; then
  cargo deny check advisories
else
  echo "deny.sh: advisory database unreachable; advisories NOT checked (licences, bans and sources were)" >&2
fi
