#!/usr/bin/env bash
# `indicarto check` on the synthetic observatory-scale packs of scripts/make_national_pack.py, beside
# a polars script doing the read, the join to EPCI/département/région and the sums
# (benches/national_reference.py), in the same run. Wall time and peak memory from GNU time; each
# command runs RUNS times, alternately; medians are printed with the machine's load.
#
#   scripts/make_national_pack.py /tmp/packs          # once: writes the packs (outside the repository)
#   benches/national_pack.sh /tmp/packs               # needs /usr/bin/time and `pip install polars`
#
# INDICARTO=path/to/indicarto uses a given binary instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKS=${1:?usage: benches/national_pack.sh PACKS_DIR (written by scripts/make_national_pack.py)}
RUNS=${RUNS:-3}
COMMUNES=../shared/data/boundaries/france_scale/fr_metro_communes_population_2023.csv
[ -f "$COMMUNES" ] || { echo "skipping: $COMMUNES not found"; exit 0; }
python3 -c "import polars" 2>/dev/null || { echo "the reference needs polars: pip install polars"; exit 1; }
if [ -z "${INDICARTO:-}" ]; then
  cargo build --release --quiet --bin indicarto
  INDICARTO=target/release/indicarto
fi
TIMES=$(mktemp)
run() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "$label %e %M" "$@" >/dev/null 2>>"$TIMES" || { echo "$label failed"; tail -5 "$TIMES"; exit 1; }
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for pack in national agit; do
  [ -f "$PACKS/$pack/pack.toml" ] || continue
  for i in $(seq "$RUNS"); do
    run "$pack/polars-csv" python3 benches/national_reference.py "$PACKS/$pack/data/$pack.csv" "$COMMUNES"
    run "$pack/indicarto-csv" "$INDICARTO" check "$PACKS/$pack/pack.toml"
    if [ -f "$PACKS/$pack/pack_parquet.toml" ]; then
      run "$pack/polars-parquet" python3 benches/national_reference.py "$PACKS/$pack/data/$pack.parquet" "$COMMUNES"
      run "$pack/indicarto-parquet" "$INDICARTO" check "$PACKS/$pack/pack_parquet.toml"
    fi
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -v '^Command' "$TIMES" | awk '
  NF == 3 { t[$1] = t[$1] " " $2; if ($3 > m[$1]) m[$1] = $3; order[$1] = NR }
  END {
    for (k in t) {
      n = split(t[k], a, " "); asort(a); med[k] = a[int((n + 1) / 2)]
      printf "%-26s median %7.2f s over %d runs (%s), peak memory %7.1f MiB\n", k, med[k], n, t[k], m[k] / 1024
    }
    for (k in t) if (k ~ /indicarto/) {
      r = k; sub(/indicarto/, "polars", r)
      if (med[r] > 0) printf "%-26s %.2f x the polars time, %.2f x its peak memory\n", k, med[k] / med[r], m[k] / m[r]
    }
  }' | sort
rm -f "$TIMES"
