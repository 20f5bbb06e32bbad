#!/usr/bin/env bash
# Regenerates the raster icons from the one drawing, assets/icon/indicarto.svg:
#   assets/icon/indicarto-<N>.png  hicolor sizes for the Debian package, the portable archive and
#                                  cargo-packager (which builds the macOS .icns from them)
#   assets/icon/indicarto.ico      Windows installers (cargo-packager's NSIS and WiX need an .ico)
# Run it after editing the SVG and commit the results (they are small).
# Needs: rsvg-convert (librsvg2-bin), icotool (icoutils); pngquant (optional, shrinks the PNGs).
# The window itself rasterises the SVG at start-up (src/gui/mod.rs), so it needs none of these.
set -euo pipefail
cd "$(dirname "$0")/.."

svg=assets/icon/indicarto.svg
sizes=(16 24 32 48 64 128 256)
for size in "${sizes[@]}"; do
  png="assets/icon/indicarto-$size.png"
  rsvg-convert --width "$size" --height "$size" "$svg" --output "$png"
  if command -v pngquant >/dev/null 2>&1; then
    pngquant --force --skip-if-larger --strip --quality 80-100 --output "$png" -- "$png" || true
  fi
done

# The .ico is built from unquantised RGBA renderings (Windows reads PNG entries as 32-bit RGBA): the
# 128 and 256 px images stored as PNG inside it (--raw), the smaller ones as bitmaps.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for size in "${sizes[@]}"; do
  rsvg-convert --width "$size" --height "$size" "$svg" --output "$tmp/$size.png"
done
icotool --create --output assets/icon/indicarto.ico \
  "$tmp"/{16,24,32,48,64}.png --raw="$tmp/128.png" --raw="$tmp/256.png"
ls -l assets/icon
