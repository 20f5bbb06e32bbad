#!/usr/bin/env python3
"""The reference of benches/national_pack.sh: what a data engineer's polars script does with the
synthetic national pack, in the same run as Indicarto. Reads the wide CSV (`;`, decimal comma, `s`
for secret), joins each commune to its EPCI, département and région (from the attributes of the
shared France layer), sums every column to those levels and to France.

    benches/national_reference.py PACK_CSV COMMUNES_CSV

Prints the number of cells read and the number of sums made, so the run cannot be a no-op.
"""

import sys

import polars as pl


def main():
    data, communes = sys.argv[1], sys.argv[2]
    if data.endswith(".parquet"):
        frame = pl.read_parquet(data)
        # Text columns of a Parquet variant (secret markers) become numbers, markers null.
        frame = frame.with_columns(
            [pl.col(c).str.replace(",", ".").cast(pl.Float64, strict=False) for c, t in frame.schema.items()
             if t == pl.String and c != "CODGEO"]
        )
    else:
        frame = pl.read_csv(data, separator=";", decimal_comma=True, null_values=["s"],
                            schema_overrides={"CODGEO": pl.String}, infer_schema_length=10000)
    attributes = pl.read_csv(communes, schema_overrides={c: pl.String for c in
                                                         ["INSEE_COM", "INSEE_DEP", "INSEE_REG", "SIREN_EPCI"]})
    joined = frame.join(attributes.select(["INSEE_COM", "SIREN_EPCI", "INSEE_DEP", "INSEE_REG"]),
                        left_on="CODGEO", right_on="INSEE_COM", how="left")
    values = [c for c in frame.columns if c != "CODGEO"]
    sums = 0
    for level in ["SIREN_EPCI", "INSEE_DEP", "INSEE_REG"]:
        grouped = joined.group_by(level).agg([pl.col(c).sum() for c in values])
        sums += grouped.height * len(values)
    france = joined.select([pl.col(c).sum() for c in values])
    sums += france.width
    print(f"{frame.height * len(values)} cells read, {sums} sums")


if __name__ == "__main__":
    main()
