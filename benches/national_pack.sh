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
python3 - "$TIMES" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.split()
    if len(parts) == 3 and "/" in parts[0]:
        runs.setdefault(parts[0], []).append((float(parts[1]), int(parts[2])))
med = {k: statistics.median(t for t, _ in v) for k, v in runs.items()}
peak = {k: max(m for _, m in v) for k, v in runs.items()}
for k in sorted(runs):
    times = " ".join(f"{t:.2f}" for t, _ in runs[k])
    print(f"{k:<26} median {med[k]:7.2f} s over {len(runs[k])} runs ({times}), peak memory {peak[k] / 1024:7.1f} MiB")
for k in sorted(runs):
    ref = k.replace("indicarto", "polars")
    if "indicarto" in k and ref in runs:
        print(f"{k:<26} {med[k] / med[ref]:.2f} x the polars time, {peak[k] / peak[ref]:.2f} x its peak memory")
PY
rm -f "$TIMES"
