#!/usr/bin/env python3
"""Prepares the health and social tables of the bundled sample pack (`sample_data/data/`).

The bundled files are made once by this documented step, from the real tables of the shared data
folder (`../shared/data/health/`, described in its README and in `health/mortalite/README.md`),
and committed. Python standard library only; the output is deterministic (rows in code order,
fixed decimals), so running it again gives the same bytes.

    python3 scripts/prepare_sample.py [--shared ../shared/data] [--out sample_data/data]

It never reads the four files of `../shared/data/F_FILES.txt` (licence not verified: CépiDc, C2S,
the synthesis table) and writes nothing else than the files below. Every file is written the way
French Excel and Insee write them: UTF-8 with a BOM, `;` between fields, decimal comma, codes as
text with their leading zeros.

Files written (indicator ids are those of `sample_data/pack.toml`):

- `hdf_communes_population_age_rp2023.csv`: population of the 3,782 communes by sex and 5-year
  age band (Insee, RP 2023: `h_00_04` … `f_95_plus`), with the counts and shares of people under 20
  and aged 75 or more (numerator, denominator = sum of the 40 bands, so that they aggregate
  exactly).
- `hdf_communes_deces_2008_2025.csv`: deaths by commune of residence 2008–2025 (Insee, état
  civil); empty where Insee gives no value (60694, 2019–2023: the commune did not exist, its
  deaths are in 60054).
- `hdf_communes_apl_mg_2022_2023.csv`: DREES APL to general practitioners 2022 and 2023, with the
  standardised population (the weight DREES asks for), the population, and the population living
  in a commune under 2.5 (numerator of the share). The six communes absorbed since (02311, 59070,
  62461, 62549, 62743, 80830) are merged into their COG 2026 commune: APL weighted by the
  standardised population, populations summed, the population under 2.5 summed from the
  original communes (so the shares agree with the DREES commune grid).
- `hdf_communes_pauvrete_filosofi2019.csv`: Filosofi 2019 poverty rate at 60 % of the communes
  Insee publishes (472); the others are secret at the source and written `s`, except 60694, which
  did not exist in the 2020 geography (empty: missing, not secret).
- `fr_territoires_sante_social.csv`: long table (`niveau;code;indicateur;annee;valeur`) of the
  département, région and France figures: life expectancy, standardised mortality, doctors'
  densities, poverty and median standard of living, localised unemployment (yearly mean of the
  four quarters, computed here), minimum social benefits, the France APL aggregates (derived by
  the data preparer), and France's age structure on 1 January 2023 for the pyramid, with its
  shares of people under 20 and aged 75 or more. Rows of
  « France métropolitaine » (`FM`) are left out: the pack's France level is one territory, `FR`.
- `france_mortalite_reference_2008_2025.csv`: DERIVED reference death rates of metropolitan
  France by sex and 5-year band per 100,000 (`tx_deces_ref_{sexe}_{age}`), for indirect
  standardisation (ICM); stored on the territory `FR`, labelled as metropolitan.

The checks at the end compare the output with the figures published in the shared READMEs and by
Insee and DREES; the script stops with a message if one fails.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

HDF_DEPS = ("02", "59", "60", "62", "80")
# Bands as written in the RP and reference files, and as written in the pack's ids.
BANDS = ("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
         "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95+")
UNDER_20 = BANDS[:4]
FROM_75 = BANDS[15:]
SEXES = (("M", "h"), ("F", "f"))  # source letter, pack letter (hommes, femmes)
DEATH_YEARS = range(2008, 2026)
UNEMPLOYMENT_YEARS = range(2008, 2022)
BENEFIT_YEARS = range(2009, 2020)
# The shared tables' level names → the pack's (`pays` rows go to the France level).
LEVELS = {"departement": "departement", "region": "region", "pays": "france"}


def band_id(band: str) -> str:
    """`0-4` → `00_04`, `95+` → `95_plus`: the band part of an indicator id."""
    if band.endswith("+"):
        return f"{int(band[:-1]):02d}_plus"
    low, high = band.split("-")
    return f"{int(low):02d}_{int(high):02d}"


def fr_number(value: float | str | None, decimals: int | None = None) -> str:
    """A number written the French way (decimal comma, no thousands separator), or empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        if decimals is None:
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text.replace(".", ",")
        value = float(value)
    text = f"{value:.{decimals if decimals is not None else 0}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";", lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
    print(f"  {path.name}: {len(rows)} lignes, {path.stat().st_size / 1024:.0f} Kio")


class Check:
    """Collects the checks against published figures; fails at the end if one is wrong."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def near(self, what: str, got: float, expected: float, tolerance: float) -> None:
        ok = abs(got - expected) <= tolerance
        print(f"  {'ok ' if ok else 'ÉCHEC'} {what}: {got:.4f} (publié {expected})")
        if not ok:
            self.failures.append(what)


def communes(shared: Path) -> list[str]:
    return sorted(r["code_commune"] for r in read(shared / "health/mortalite/commune_epci_hdf_2026.csv"))


def population_by_age(shared: Path, codes: list[str], out: Path, check: Check) -> dict:
    cells: dict[tuple[str, str, str], str] = {}
    for r in read(shared / "health/mortalite/population_commune_hdf_sex_age5_rp2023.csv"):
        cells[(r["code_commune"], r["sex"], r["age_band"])] = r["population"]
    header = ["code"] + [f"{p}_{band_id(b)}" for _, p in SEXES for b in BANDS]
    header += ["pop_rp2023", "pop_moins_20", "part_moins_20", "pop_75_plus", "part_75_plus"]
    rows = []
    by_dep: dict[tuple[str, str, str], float] = defaultdict(float)
    for code in codes:
        values = [cells[(code, s, b)] for s, _ in SEXES for b in BANDS]
        total = sum(float(v) for v in values)
        young = sum(float(cells[(code, s, b)]) for s, _ in SEXES for b in UNDER_20)
        old = sum(float(cells[(code, s, b)]) for s, _ in SEXES for b in FROM_75)
        for s, _ in SEXES:
            for b in BANDS:
                by_dep[(code[:2], s, b)] += float(cells[(code, s, b)])
        young_share = fr_number(100 * young / total, 2) if total else ""
        old_share = fr_number(100 * old / total, 2) if total else ""
        rows.append([code] + [fr_number(v) for v in values]
                    + [fr_number(total, 1), fr_number(young, 1), young_share, fr_number(old, 1), old_share])
    write(out / "hdf_communes_population_age_rp2023.csv", header, rows)
    region = sum(by_dep.values())
    check.near("population RP 2023 des communes de la région (file 9: 5 992 174,3)", region, 5_992_174.3, 0.05)
    return by_dep


def deaths(shared: Path, codes: list[str], out: Path, check: Check) -> dict:
    given: dict[tuple[str, int], str] = {}
    for r in read(shared / "health/mortalite/deaths_commune_hdf_2008_2025.csv"):
        given[(r["code_commune"], int(r["year"]))] = r["deaths"]
    header = ["code"] + [f"deces_{y}" for y in DEATH_YEARS]
    rows = [[code] + [given[(code, y)] for y in DEATH_YEARS] for code in codes]
    write(out / "hdf_communes_deces_2008_2025.csv", header, rows)
    by_dep: dict[tuple[str, int], int] = defaultdict(int)
    for (code, year), value in given.items():
        if value:
            by_dep[(code[:2], year)] += int(value)
    # Insee's département counts (DS_ETAT_CIVIL_DECES_COMMUNES), shared file 5.
    for r in read(shared / "health/mortalite/deaths_population_dep_metro_2012_2021.csv"):
        if r["dep"] in HDF_DEPS and r["year"] == "2019":
            check.near(f"décès 2019, département {r['dep']}", by_dep[(r["dep"], 2019)], int(r["deaths"]), 0)
    check.near("décès 2019, région", sum(by_dep[(d, 2019)] for d in HDF_DEPS), 55_643, 0)
    return by_dep


def apl(shared: Path, codes: list[str], out: Path, check: Check) -> None:
    # (year, COG 2026 code) → [Σ apl × standardised population, Σ standardised population,
    # Σ population, Σ population of communes under 2.5]
    sums: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    single_value: dict[tuple[int, str], float] = {}
    for r in read(shared / "health/offre_soins/apl_mg_communes_hdf_2022_2023.csv"):
        single_value[(int(r["annee"]), r["code_cog2026"])] = float(r["apl"])
        cell = sums[(int(r["annee"]), r["code_cog2026"])]
        value, weight, pop = float(r["apl"]), float(r["pop_standardisee"]), float(r["pop_totale"])
        cell[0] += value * weight
        cell[1] += weight
        cell[2] += pop
        cell[3] += pop if value < 2.5 else 0.0
    header = ["code"]
    for y in (2022, 2023):
        header += [f"apl_{y}", f"pop_std_{y}", f"pop_{y}", f"pop_apl_faible_{y}", f"part_apl_faible_{y}"]
    rows = []
    for code in codes:
        row = [code]
        for y in (2022, 2023):
            s = sums.get((y, code))
            if s is None:
                row += ["", "", "", "", ""]
                continue
            # 60694 in 2023: the DREES grid gives it an APL with no population (re-created in 2024,
            # absent from the census it weighs with); its value is kept, it weighs nothing.
            value = s[0] / s[1] if s[1] else single_value[(y, code)]
            share = fr_number(100 * s[3] / s[2], 2) if s[2] else ""
            row += [fr_number(value, 3), fr_number(s[1], 3), fr_number(s[2], 0), fr_number(s[3], 0), share]
        rows.append(row)
    write(out / "hdf_communes_apl_mg_2022_2023.csv", header, rows)
    # DREES values quoted in the shared README (weighted by the standardised population).
    for dep, expected in (("60", 3.00), ("02", 3.18), ("59", 4.54)):
        vw = sum(s[0] for (y, c), s in sums.items() if y == 2023 and c.startswith(dep))
        w = sum(s[1] for (y, c), s in sums.items() if y == 2023 and c.startswith(dep))
        check.near(f"APL 2023 {dep}", vw / w, expected, 0.005)
    vw = sum(s[0] for (y, _), s in sums.items() if y == 2023)
    w = sum(s[1] for (y, _), s in sums.items() if y == 2023)
    check.near("APL 2023 région", vw / w, 4.12, 0.005)


def poverty_communes(shared: Path, codes: list[str], out: Path, check: Check) -> None:
    published = {r["code_cog2026"]: r["taux_pauvrete_60"]
                 for r in read(shared / "health/social/filosofi2019_pauvrete_communes_hdf.csv")}
    # Communes of COG 2026 that did not exist in Filosofi 2019's geography (1 January 2020).
    created = {r["code_cog2026"] for r in read(shared / "reference/hdf_changements_communes_2019_2026.csv")
               if r["evenement"].startswith("code apparu")}
    rows = []
    for code in codes:
        if code in published:
            rows.append([code, fr_number(published[code])])
        elif code in created:
            rows.append([code, ""])
        else:
            rows.append([code, "s"])
    write(out / "hdf_communes_pauvrete_filosofi2019.csv", ["code", "taux_pauvrete_2019"], rows)
    check.near("communes publiées par Filosofi 2019", sum(1 for r in rows if r[1] not in ("", "s")), 472, 0)


def long_row(level: str, code: str, indicator: str, year: int, value: str) -> list[str]:
    return [level, code, indicator, str(year), value]


def territories_table(shared: Path, out: Path, check: Check) -> None:
    h = shared / "health"
    rows: list[list[str]] = []

    def keep(r: dict[str, str]) -> bool:
        return r["code"] != "FM" and r["valeur"] != ""

    def level_of(r: dict[str, str]) -> str:
        return LEVELS[r["niveau"]]

    # Life expectancy and mortality (Insee: S1 2023, S2 2024, S3 2008 and 2014).
    names = {
        ("esperance_vie_naissance", "H"): "esp_vie_h", ("esperance_vie_naissance", "F"): "esp_vie_f",
        ("esperance_vie_60ans", "H"): "esp_vie_60_h", ("esperance_vie_60ans", "F"): "esp_vie_60_f",
        ("taux_mortalite_standardise_0_64", "T"): "tx_mort_std_0_64",
        ("taux_mortalite_standardise_65_plus", "T"): "tx_mort_std_65_plus",
    }
    for r in read(h / "etat_sante/esperance_vie_mortalite_dep_reg.csv"):
        name = names.get((r["indicateur"], r["sexe"]))
        if name and keep(r):
            rows.append(long_row(level_of(r), r["code"], name, int(r["periode"]), fr_number(r["valeur"])))
    # Doctors and other professionals (RPPS via Insee TCRD_068, vintage « vers 2023»).
    densities = {"densite_medecins", "densite_generalistes", "densite_specialistes",
                 "densite_chirurgiens_dentistes", "densite_pharmaciens"}
    for r in read(h / "offre_soins/offre_soins_dep.csv"):
        if r["indicateur"] in densities and r["periode"] == "vers 2023" and keep(r):
            rows.append(long_row(level_of(r), r["code"], r["indicateur"], 2023, fr_number(r["valeur"])))
    # Poverty (Filosofi 2013 via ITDD, 2021) and median standard of living 2021. Filosofi's
    # national figure covers metropolitan France, Martinique and La Réunion; it is coded FM in the
    # source and is the only national value of 2021: it goes to FR, said in the definition.
    for r in read(h / "social/pauvrete_niveau_vie_dep_reg.csv"):
        if r["indicateur"] not in ("taux_pauvrete_60", "mediane_niveau_vie") or r["valeur"] == "":
            continue
        national_2021 = r["code"] == "FM" and r["periode"] == "2021"
        if r["code"] == "FM" and not national_2021:
            continue
        name = "taux_pauvrete" if r["indicateur"] == "taux_pauvrete_60" else "mediane_niveau_vie"
        code = "FR" if national_2021 else r["code"]
        rows.append(long_row(level_of(r), code, name, int(r["periode"]), fr_number(r["valeur"])))
    # Localised unemployment: yearly mean of the four published quarters (CVS).
    quarters: dict[tuple[str, str, int], list[float]] = defaultdict(list)
    for r in read(h / "social/chomage_localise_dep_reg_trimestriel_1982_2021.csv"):
        year = int(r["periode"][:4])
        if year in UNEMPLOYMENT_YEARS and keep(r):
            quarters[(level_of(r), r["code"], year)].append(float(r["valeur"]))
    for (level, code, year), values in quarters.items():
        if len(values) == 4:
            rows.append(long_row(level, code, "taux_chomage", year, fr_number(sum(values) / 4, 3)))
    # Minimum social benefits, allocataires on 31 December (DREES). 2016 is the new series (B).
    benefits = {"rsa_allocataires": "rsa_allocataires", "rsa_population_couverte": "rsa_pop_couverte",
                "aah_allocataires": "aah_allocataires", "minimum_vieillesse_allocataires": "aspa_allocataires"}
    for r in read(h / "social/minima_sociaux_dep_1995_2019.csv"):
        if r["indicateur"] in benefits and r["periode"].isdigit() and int(r["periode"]) in BENEFIT_YEARS and keep(r):
            rows.append(long_row(level_of(r), r["code"], benefits[r["indicateur"]], int(r["periode"]),
                                 fr_number(r["valeur"])))
    # APL for France: the data preparer's aggregate of every French commune (derived).
    for r in read(h / "offre_soins/apl_mg_agregats_hdf_2022_2023.csv"):
        if r["niveau"] == "pays":
            rows.append(long_row("france", r["code"], "apl_mg", int(r["annee"]), fr_number(r["apl_moyen"])))
            rows.append(long_row("france", r["code"], "part_apl_faible", int(r["annee"]),
                                 fr_number(r["part_pop_apl_inf_2_5_pct"])))
    # France's age structure on 1 January 2023 (Insee estimates, provisional), for the pyramid.
    france: dict[tuple[str, str], int] = defaultdict(int)
    for r in read(h / "mortalite/france_population_jan1_sex_age_1991_2026.csv"):
        if r["geo"] == "france" and r["year"] == "2023":
            age = int(r["age_jan1"])
            band = "95+" if age >= 95 else f"{age - age % 5}-{age - age % 5 + 4}"
            france[(r["sex"], band)] += int(r["population"])
    for s, p in SEXES:
        for b in BANDS:
            rows.append(long_row("france", "FR", f"pop_{p}_{band_id(b)}", 2023, str(france[(s, b)])))
    total = sum(france.values())
    check.near("population France au 1er janvier 2023 (README: 68 404 843)", total, 68_404_843, 0)
    for name, bands in (("part_moins_20", UNDER_20), ("part_75_plus", FROM_75)):
        part = sum(france[(s, b)] for s, _ in SEXES for b in bands)
        rows.append(long_row("france", "FR", name, 2023, fr_number(100 * part / total, 2)))

    order = {"departement": 0, "region": 1, "france": 2}
    rows.sort(key=lambda r: (r[2], order[r[0]], r[1], int(r[3])))
    write(out / "fr_territoires_sante_social.csv", ["niveau", "code", "indicateur", "annee", "valeur"], rows)
    nord = {(r[2], r[3]): r[4] for r in rows if r[0] == "departement" and r[1] == "59"}
    check.near("chômage localisé 2021, Nord (moyenne de 10,0 9,7 9,9 9,4)",
               float(nord[("taux_chomage", "2021")].replace(",", ".")), 9.75, 1e-9)


def reference_rates(shared: Path, out: Path, check: Check) -> None:
    rows = []
    for r in read(shared / "health/mortalite/france_reference_mortality_sex_age5_2008_2025_derived.csv"):
        if r["geo"] != "metropolitan france":
            continue
        sex = dict(SEXES)[r["sex"]]
        rows.append(["FR", sex, band_id(r["age_band_jan1"]), r["year"], fr_number(r["rate_per_100000_jan1_pop"])])
    rows.sort(key=lambda r: (r[3], r[1] != "h", BANDS.index(next(b for b in BANDS if band_id(b) == r[2]))))
    write(out / "france_mortalite_reference_2008_2025.csv", ["code", "sexe", "age", "annee", "valeur"], rows)
    check.near("taux de référence (18 années × 2 sexes × 20 tranches)", len(rows), 720, 0)


def icm_check(by_age: dict, deaths_by_dep: dict, shared: Path, check: Check) -> None:
    """The README's worked example, from the files just written: ICM 2023 on RP 2023 age structures."""
    rate = {(r["sex"], r["age_band_jan1"]): float(r["rate_per_100000_jan1_pop"])
            for r in read(shared / "health/mortalite/france_reference_mortality_sex_age5_2008_2025_derived.csv")
            if r["geo"] == "metropolitan france" and r["year"] == "2023"}
    for dep, published in (("02", 120.4), ("59", 117.4), ("60", 111.2), ("62", 125.2), ("80", 115.1)):
        expected = sum(v * rate[(s, b)] / 1e5 for (d, s, b), v in by_age.items() if d == dep)
        check.near(f"ICM 2023 {dep}", 100 * deaths_by_dep[(dep, 2023)] / expected, published, 0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--shared", type=Path, default=root / "../shared/data", help="the shared data folder")
    parser.add_argument("--out", type=Path, default=root / "sample_data/data", help="where the tables go")
    args = parser.parse_args()
    shared: Path = args.shared
    if not (shared / "health/mortalite").is_dir():
        print(f"{shared} : dossier de données partagées introuvable (health/mortalite attendu)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    check = Check()
    codes = communes(shared)
    print("Fichiers écrits :")
    by_age = population_by_age(shared, codes, args.out, check)
    deaths_by_dep = deaths(shared, codes, args.out, check)
    apl(shared, codes, args.out, check)
    poverty_communes(shared, codes, args.out, check)
    territories_table(shared, args.out, check)
    reference_rates(shared, args.out, check)
    icm_check(by_age, deaths_by_dep, shared, check)
    if check.failures:
        print(f"{len(check.failures)} contrôle(s) en échec : {', '.join(check.failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
