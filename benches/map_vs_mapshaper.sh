#!/usr/bin/env bash
# `indicarto map` against mapshaper on the France commune layer (34,738 polygons, ~1.07 M vertices):
# read the Shapefile, join the population CSV, classify in 5 quantile classes, write an SVG.
# Both run alternately, RUNS times each, in the same session; wall time and peak memory are from
# GNU time. mapshaper is installed from npm into a scratch folder (never into the repository).
#
#   benches/map_vs_mapshaper.sh            # needs npm, /usr/bin/time and ../shared/data
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
DATA=../shared/data/boundaries/france_scale
SHP=$DATA/fr_metro_communes_cog2026.shp
CSV=$DATA/fr_metro_communes_population_2023.csv
[ -f "$SHP" ] || { echo "skipping: $SHP not found"; exit 0; }
WORK=${WORK:-$(mktemp -d)}
MAPSHAPER=$WORK/node_modules/.bin/mapshaper
if [ ! -x "$MAPSHAPER" ]; then
  (cd "$WORK" && npm install --silent --no-audit --no-fund mapshaper@0.7.70 >/dev/null)
fi
cargo build --release --quiet
INDICARTO=target/release/indicarto

run() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "$label %e %M" "$@" >/dev/null 2>>"$WORK/times.txt" || { echo "$label failed"; exit 1; }
}
: >"$WORK/times.txt"
for i in $(seq "$RUNS"); do
  run indicarto "$INDICARTO" map --boundaries "$SHP" --data "$CSV" --join INSEE_COM --value POPULATION \
    --method quantile --classes 5 --palette Blues -o "$WORK/indicarto.svg"
  run mapshaper "$MAPSHAPER" -i "$SHP" -join "$CSV" keys=INSEE_COM,INSEE_COM fields=POPULATION force \
    string-fields=INSEE_COM -classify field=POPULATION method=quantile classes=5 colors=Blues -o "$WORK/mapshaper.svg"
done
grep -E '^(indicarto|mapshaper) ' "$WORK/times.txt" | awk '
  { t[$1] = t[$1] " " $2; m[$1] = ($3 > m[$1] ? $3 : m[$1]) }
  END {
    for (k in t) {
      n = split(t[k], a, " "); asort(a); med = a[int((n + 1) / 2)]
      printf "%-10s median %6.2f s over %d runs (%s), peak memory %7.1f MiB\n", k, med, n, t[k], m[k] / 1024
      meds[k] = med
    }
    if (meds["indicarto"] > 0) printf "ratio: indicarto is %.1f times faster than mapshaper\n", meds["mapshaper"] / meds["indicarto"]
  }'
ls -l "$WORK/indicarto.svg" "$WORK/mapshaper.svg" | awk '{ print $5, $9 }'
