#!/usr/bin/env bash
# Builds the Debian package target/debian/indicarto_<version>-1_<arch>.deb: the release build (the same
# profile and features as `cargo build --release`, so a warm target/ is reused), then cargo-deb packs
# the binary and the assets listed in Cargo.toml, [package.metadata.deb].
# Needs: cargo-deb (`cargo install cargo-deb --locked`). Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
  echo "cargo-deb est absent : cargo install cargo-deb --locked" >&2
  exit 1
fi
cargo build --release --locked
# --no-build: package the binary just built instead of letting cargo-deb build it with its own settings.
cargo deb --no-build "$@"
