#!/usr/bin/env bash
# Builds the portable Linux archive target/portable/indicarto-<version>-linux-<arch>.tar.gz: the release
# binary, the bundled sample, the desktop entry, the icons, the man page, a README and a launcher, laid
# out like the Debian package (bin/ beside share/indicarto/, where the binary looks for its sample).
# Unpack it anywhere and run ./indicarto. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
arch=$(uname -m)
name="indicarto-$version-linux-$arch"
target_dir=${CARGO_TARGET_DIR:-target}
out="$target_dir/portable"
stage="$out/$name"

cargo build --release --locked

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/share/indicarto/sample_data" "$stage/share/applications" "$stage/share/man/man1"
install -m 755 "$target_dir/release/indicarto" "$stage/bin/indicarto"
strip --strip-unneeded "$stage/bin/indicarto" 2>/dev/null || true
cp -R sample_data/. "$stage/share/indicarto/sample_data/"
cp -R geodata "$stage/share/indicarto/geodata"
install -m 644 ATTRIBUTION.md LICENSE "$stage/share/indicarto/"
install -m 644 packaging/indicarto.desktop "$stage/share/applications/"
install -m 644 packaging/indicarto.1 "$stage/share/man/man1/"
install -D -m 644 assets/icon/indicarto.svg "$stage/share/icons/hicolor/scalable/apps/indicarto.svg"
for png in assets/icon/indicarto-*.png; do
  size=${png##*-}
  size=${size%.png}
  install -D -m 644 "$png" "$stage/share/icons/hicolor/${size}x${size}/apps/indicarto.png"
done
install -m 755 packaging/portable/indicarto "$stage/indicarto"
install -m 755 packaging/portable/install-desktop-entry.sh "$stage/install-desktop-entry.sh"
install -m 644 packaging/portable/README.txt "$stage/README.txt"

tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
rm -rf "$stage"
ls -l "$out/$name.tar.gz"
