#!/usr/bin/env bash
# Builds and runs every fuzz target of `fuzz/` for a given time each (default 60 s), one after the
# other, and prints how many inputs each ran. Not part of CI: it needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`), and the first build (polars with sanitizers) is long.
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]
#
# Seeds: the bundled boundaries, sample CSVs and manifest are copied into each target's corpus
# folder (fuzz/corpus/TARGET, git-ignored) on the first run. A crash leaves its input in
# fuzz/artifacts/TARGET; turn it into a regression test in the normal test suite
# (`tests/corpus.rs` or the module's tests) before fixing it.
#
# FUZZ_SANITIZER=none skips AddressSanitizer (several times faster; Rust code is memory-safe
# without `unsafe`, the sanitizer mainly guards the C and unsafe code of dependencies).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(shapefile dbf geojson csv manifest gpkg gpkg_blob zipped)
fi
sanitizer="${FUZZ_SANITIZER:-address}"

seed() {
    local target="$1" dir="corpus/$1"
    [ -d "$dir" ] && return
    mkdir -p "$dir"
    case "$target" in
        shapefile)
            for stem in hdf_departements hdf_region; do
                # .shp @@@@ .shx @@@@ .dbf @@@@ .prj, as the target splits them.
                { cat "../geodata/$stem.shp"; printf '@@@@'; cat "../geodata/$stem.shx"; printf '@@@@'
                  cat "../geodata/$stem.dbf"; printf '@@@@'; cat "../geodata/$stem.prj"; } > "$dir/$stem"
            done ;;
        dbf) cp ../geodata/hdf_departements.dbf ../geodata/hdf_region.dbf "$dir/" ;;
        geojson)
            printf '%s' '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[{"type":"Feature","properties":{"code":"80001","nom":"Un"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[0,1],[1,1],[1,0],[0,0]],[[0.2,0.2],[0.8,0.2],[0.8,0.8],[0.2,0.2]]]]}}]}' > "$dir/seed.geojson" ;;
        csv) cp ../sample_data/data/*.csv "$dir/" ;;
        manifest) cp ../sample_data/pack.toml "$dir/" ;;
        gpkg) cp ../tests/fixtures/oise_extrait.gpkg "$dir/" ;;
        gpkg_blob)
            # The geometry blobs of the fixture, one file each.
            sqlite3 ../tests/fixtures/oise_extrait.gpkg "SELECT fid, hex(geom) FROM communes" |
                while IFS='|' read -r fid hex; do printf '%s' "$hex" | xxd -r -p > "$dir/commune-$fid"; done ;;
        zipped)
            (cd ../geodata && zip -q -X "$OLDPWD/$dir/departements.zip" hdf_departements.*) ;;
    esac
}

cargo +nightly fuzz build -O --debug-assertions -s "$sanitizer"
for target in "${targets[@]}"; do
    seed "$target"
    echo "== $target: ${seconds} s"
    cargo +nightly fuzz run -O --debug-assertions -s "$sanitizer" "$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=262144 -timeout=20 -print_final_stats=1 2>&1 |
        grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|Done|SUMMARY|panicked|ERROR" || true
done
