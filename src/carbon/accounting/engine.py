"""The computation: activity lines × emission factors → kgCO2e by poste, category and scope.

Two steps, kept apart so that the hot one stays a handful of numpy operations:

1. :func:`encode_lines` checks every line against the library (poste, factor, unit, quantity,
   data quality) and turns strings into integer codes and conversion multipliers. Every bad line
   is reported at once, with its line number; nothing is computed from a partly bad input.
2. :func:`compute_encoded` gathers factor values and sums them with ``np.bincount``: no Python
   loop per line.

Rules (methodology.md): lines of postes 1.1, 1.2, 2.1 and 2.2 keep only the combustion sub-post of
a split factor; the rest goes where its kind says (accounting/subposts.py: upstream 4.1,
manufacture 4.2, end of life 4.3). Biogenic CO2 is reported apart ("hors bilan"), not in the
total; poste 1.5 counts in category 1. Scope 2 is location-based; market-based where a line
carries a supplier-specific factor. Uncertainty combines per emission source (lines of one
factor, poste and data quality; § 9).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting import countries, market, money
from carbon.accounting.context import LineContext, read_context
from carbon.accounting.factors import (
    FLAG_UNKNOWN_U,
    FLAG_UNSPLIT,
    FactorLibrary,
    LibraryArrays,
)
from carbon.accounting.gases import by_poste_and_gas
from carbon.accounting.notices import LineWarning, capped
from carbon.accounting.postes import (
    ENERGY_POSTES,
    POSTE_CODES,
    POSTES,
    UPSTREAM_ENERGY_POSTE,
    normalise_poste,
)
from carbon.accounting.reference import ReferenceData
from carbon.accounting.results import ComputationResult
from carbon.accounting.uncertainty import UncertaintyScale, combine_per_source, source_key
from carbon.accounting.units import UnitError, conversion_factor, is_money

N_POSTES = len(POSTE_CODES)
_POSTE_INDEX = {code: i for i, code in enumerate(POSTE_CODES)}
_ENERGY = np.array([p.code in ENERGY_POSTES for p in POSTES])
_APART = np.array([p.reported_apart for p in POSTES])
_SCOPE2 = np.array([p.scope == 2 for p in POSTES])
_UPSTREAM = _POSTE_INDEX[UPSTREAM_ENERGY_POSTE]

REQUIRED_COLUMNS = ("poste", "factor_id", "quantity", "unit")
MAX_REPORTED_ERRORS = 50
_COLUMN_ORDER = {c: i for i, c in enumerate(REQUIRED_COLUMNS)}


def moved_column(poste: str) -> str:
    """The line-detail column of the parts of energy lines moved to ``poste`` by sub-post kind."""
    return "kgco2e_upstream_4_1" if poste == UPSTREAM_ENERGY_POSTE else f"kgco2e_moved_{poste}"


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class ComputationError(ValueError):
    """Bad activity lines; ``errors`` lists each one with its line number and column."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:MAX_REPORTED_ERRORS])
        more = len(errors) - MAX_REPORTED_ERRORS
        super().__init__(shown + (f"\n… and {more} more" if more > 0 else ""))


@dataclass(frozen=True)
class EncodedLines:
    """Lines checked and coded: positions into the library, quantities in the factor's unit."""

    line_no: npt.NDArray[np.int64]
    poste_idx: npt.NDArray[np.intp]
    factor_pos: npt.NDArray[np.intp]
    quantity: npt.NDArray[np.float64]
    u_activity: npt.NDArray[np.float64]  # relative, as a fraction
    supplier_factor: npt.NDArray[np.float64]  # kgCO2e per factor unit, NaN when none
    has_supplier_factor: bool = False
    # Every warning, in row order, and its row: a batch of periods is sliced per period, and
    # each result caps its own (notices.MAX_WARNINGS).
    warnings: tuple[LineWarning, ...] = ()
    warning_rows: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, np.intp))
    # Data quality, for grouping lines into sources: index into ``qualities`` (the scale's
    # canonical names) and each quality's relative uncertainty, as a fraction.
    quality_idx: npt.NDArray[np.intp] | None = None
    qualities: tuple[str, ...] = ("estimated",)
    quality_u: npt.NDArray[np.float64] | None = None

    def source_quality(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """Per line its quality code, and per code its relative uncertainty (fraction)."""
        if self.quality_idx is not None and self.quality_u is not None:
            return self.quality_idx, self.quality_u
        # Coded without the scale's names: lines of equal activity uncertainty are one quality.
        values, codes = np.unique(self.u_activity, return_inverse=True)
        return codes.astype(np.intp), values

    def quality_names(self) -> tuple[str, ...]:
        """A name per quality code of :meth:`source_quality`."""
        if self.quality_idx is not None and self.quality_u is not None:
            return self.qualities
        return tuple(f"{100.0 * u:g} %" for u in self.source_quality()[1])

    def __len__(self) -> int:
        return len(self.line_no)

    def slice(self, lo: int, hi: int) -> EncodedLines:
        """Lines ``lo`` to ``hi``: one period's lines out of a batch coded in one go."""
        supplier = self.supplier_factor[lo:hi]
        w_lo, w_hi = (int(i) for i in np.searchsorted(self.warning_rows, [lo, hi]))
        return EncodedLines(
            line_no=self.line_no[lo:hi],
            poste_idx=self.poste_idx[lo:hi],
            factor_pos=self.factor_pos[lo:hi],
            quantity=self.quantity[lo:hi],
            u_activity=self.u_activity[lo:hi],
            supplier_factor=supplier,
            has_supplier_factor=bool(np.isfinite(supplier).any()),
            quality_idx=None if self.quality_idx is None else self.quality_idx[lo:hi],
            qualities=self.qualities,
            quality_u=self.quality_u,
            warnings=self.warnings[w_lo:w_hi],
            warning_rows=self.warning_rows[w_lo:w_hi] - lo,
        )


def _codes(series: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Index]:
    """Integer codes of a text column, cleaned (stripped, missing = ""), with their values.

    Hash the raw values first and clean only the distinct ones: a million lines hold a few
    thousand distinct factor ids, so string work per line would dominate the computation.
    """
    raw_codes, raw_uniques = pd.factorize(series, sort=False, use_na_sentinel=True)
    cleaned = [str(u).strip() for u in raw_uniques] + [""]  # the last one stands for missing
    clean_codes, uniques = pd.factorize(np.asarray(cleaned, dtype=object), sort=False)
    return clean_codes[raw_codes], pd.Index(uniques)


def encode_lines(
    lines: pd.DataFrame,
    library: FactorLibrary,
    scale: UncertaintyScale | None = None,
    line_numbers: npt.ArrayLike | None = None,
    *,
    reference: ReferenceData | None = None,
    year: int | None = None,
) -> EncodedLines:
    """Check ``lines`` and code them; raise :class:`ComputationError` naming every bad line.

    ``lines`` has the columns ``poste``, ``factor_id``, ``quantity`` (numbers, already parsed),
    ``unit`` and optionally ``data_quality``, ``supplier_factor_kgco2e``, ``country``, ``year``
    and ``vat_category`` (carbon.accounting.context). ``line_numbers`` are what errors and
    warnings cite (the file's line numbers); by default 1, 2, 3…. ``reference`` holds the price
    indices and residual mixes; ``year`` is the reporting year.
    """
    scale = scale or UncertaintyScale()
    missing = [c for c in REQUIRED_COLUMNS if c not in lines.columns]
    if missing:
        raise ComputationError([LineError(1, c, "missing column") for c in missing])
    n = len(lines)
    line_no = (
        np.arange(1, n + 1, dtype=np.int64)
        if line_numbers is None
        else np.asarray(line_numbers, dtype=np.int64)
    )
    errors: list[LineError] = []
    notes: list[LineWarning] = []
    reference = reference or ReferenceData()

    def flag(mask: npt.NDArray[np.bool_], column: str, message: str) -> None:
        errors.extend(LineError(int(ln), column, message) for ln in line_no[mask])

    ctx = read_context(lines, year, flag)

    # Postes: normalise each distinct spelling once.
    p_codes, p_uniques = _codes(lines["poste"])
    p_map = np.full(len(p_uniques), -1, dtype=np.intp)
    for i, text in enumerate(p_uniques):
        try:
            p_map[i] = _POSTE_INDEX[normalise_poste(text)]
        except ValueError as exc:
            flag(p_codes == i, "poste", str(exc))
    poste_idx = p_map[p_codes]

    # Factors: one hash lookup for all lines.
    f_codes, f_uniques = _codes(lines["factor_id"])
    f_map = library.index.get_indexer(f_uniques)
    for k in np.flatnonzero(f_map < 0):
        flag(
            f_codes == k, "factor_id", f"unknown factor {f_uniques[int(k)]!r} in {library.version}"
        )
    factor_pos = f_map[f_codes]
    if ctx.has_country:  # methodology §6: the line's country chooses the factor's variant
        where = countries.where_emitted(ctx.country, poste_idx)  # not for sold products (§16)
        factor_pos, chosen = countries.choose_variants(library, factor_pos, where, line_no)
        notes += chosen

    # Quantities: numbers, finite, not negative.
    qty = pd.to_numeric(lines["quantity"], errors="coerce").to_numpy(dtype="float64")
    bad_q = ~np.isfinite(qty)
    flag(bad_q, "quantity", "not a number")
    flag(~bad_q & (qty < 0), "quantity", "negative quantity")

    # Units: one conversion per distinct (unit written, factor unit) pair.
    u_codes, u_uniques = _codes(lines["unit"])
    if len(library):
        factor_unit = library.arrays.unit_code[np.where(factor_pos >= 0, factor_pos, 0)]
    else:  # an empty library: every factor is unknown, and already reported as such
        factor_unit = np.zeros(n, dtype=np.intp)
    n_units = max(len(library.arrays.units), 1)
    pair = u_codes.astype(np.intp) * n_units + factor_unit
    unknown = factor_pos < 0
    # A table of multipliers per pair and one gather: a mask per pair over a million lines cost
    # more than all the other checks. Lines of unknown factors are already errors.
    present = np.bincount(pair[~unknown] if unknown.any() else pair,
                          minlength=len(u_uniques) * n_units)  # fmt: skip
    table = np.ones(len(present), dtype="float64")
    money_pairs: list[tuple[int, str]] = []
    for key in np.flatnonzero(present):
        src = str(u_uniques[int(key) // n_units])
        dst = library.arrays.units[key % n_units]
        try:
            table[key] = conversion_factor(src, dst)
        except UnitError as exc:
            flag((pair == key) & ~unknown, "unit", f"{exc} (the factor is per {dst})")
            continue
        if is_money(dst):
            money_pairs.append((int(key), src))
    multiplier = table[pair]
    for money_key, src in money_pairs:  # methodology §8: excluding VAT, at the ratio's prices
        _adjust_money(library, (pair == money_key) & ~unknown, src, factor_pos, ctx, line_no,
                      reference, multiplier, notes, errors)  # fmt: skip

    # Data quality: map each distinct label once, to the scale's canonical names.
    qualities = tuple(scale.quality_pct)
    quality_u = np.array([scale.quality_pct[q] / 100.0 for q in qualities], dtype="float64")
    default_q = qualities.index(scale.default_quality)
    if "data_quality" in lines.columns:
        q_codes, q_uniques = _codes(lines["data_quality"])
        q_map = np.full(len(q_uniques), default_q, dtype=np.intp)
        for i, text in enumerate(q_uniques):
            try:
                q_map[i] = qualities.index(scale.normalise_quality(text))
            except ValueError as exc:
                flag(q_codes == i, "data_quality", str(exc))
        quality_idx = q_map[q_codes] if len(q_uniques) else np.full(n, default_q, dtype=np.intp)
    else:
        quality_idx = np.full(n, default_q, dtype=np.intp)
    u_activity = quality_u[quality_idx]

    supplier = np.full(n, np.nan)
    if "supplier_factor_kgco2e" in lines.columns:
        supplier = pd.to_numeric(lines["supplier_factor_kgco2e"], errors="coerce").to_numpy(
            dtype="float64"
        )
        given = lines["supplier_factor_kgco2e"].astype("string").fillna("").str.strip() != ""
        flag(given.to_numpy() & ~np.isfinite(supplier), "supplier_factor_kgco2e", "not a number")
        flag(np.isfinite(supplier) & (supplier < 0), "supplier_factor_kgco2e", "negative factor")
        flag(
            np.isfinite(supplier) & (poste_idx >= 0) & ~_SCOPE2[np.maximum(poste_idx, 0)],
            "supplier_factor_kgco2e",
            "a supplier-specific factor only applies to energy bought (postes 2.1 and 2.2)",
        )

    if errors:
        errors.sort(key=lambda e: (e.line, _COLUMN_ORDER.get(e.column, 9)))
        raise ComputationError(errors)
    # Methodology §5: without a contract, the market-based figure takes the residual mix.
    supplier, residual = market.residual_mix_factors(
        library, factor_pos, _SCOPE2[poste_idx], supplier, ctx.country, ctx.year, line_no,
        reference,
    )  # fmt: skip
    notes += residual
    rows = _rows_of(line_no, notes)
    order = np.argsort(rows, kind="stable")
    return EncodedLines(
        line_no=line_no,
        poste_idx=poste_idx,
        factor_pos=factor_pos,
        quantity=qty * multiplier,
        u_activity=np.asarray(u_activity, dtype="float64"),
        supplier_factor=supplier,
        has_supplier_factor=bool(np.isfinite(supplier).any()),
        quality_idx=quality_idx,
        qualities=qualities,
        quality_u=quality_u,
        warnings=tuple(notes[i] for i in order),
        warning_rows=rows[order],
    )


def _rows_of(line_no: npt.NDArray[np.int64], notes: list[LineWarning]) -> npt.NDArray[np.intp]:
    """The row of each warning's line (line numbers are unique in a file and in a database;
    should they repeat, a warning goes with the first row of its number)."""
    if not notes:
        return np.zeros(0, dtype=np.intp)
    first = pd.Series(np.arange(len(line_no)), index=line_no).groupby(level=0).first()
    return first.reindex([w.line for w in notes]).fillna(0).to_numpy(dtype=np.intp)


def _adjust_money(
    library: FactorLibrary,
    mask: npt.NDArray[np.bool_],
    unit: str,
    factor_pos: npt.NDArray[np.intp],
    ctx: LineContext,
    line_no: npt.NDArray[np.int64],
    reference: ReferenceData,
    multiplier: npt.NDArray[np.float64],
    notes: list[LineWarning],
    errors: list[LineError],
) -> None:
    """VAT and deflation of the spends written in ``unit`` (lines ``mask``), in place."""
    f = library.factors
    pos = factor_pos[mask]
    done = money.adjust(
        unit=unit,
        line_no=line_no[mask],
        country=ctx.country[mask],
        vat_category=ctx.vat_category[mask],
        spend_year=ctx.year[mask],
        ratio_year=f["valid_year"].to_numpy(dtype="float64", na_value=np.nan)[pos],
        ratio_country=f["country"].astype("string").fillna("").to_numpy(dtype=object)[pos],
        reference=reference,
    )
    multiplier[mask] *= done.multiplier
    notes += done.warnings
    errors += [LineError(ln, col, msg) for ln, col, msg in done.errors]


def compute_encoded(
    enc: EncodedLines, library: FactorLibrary, unknown_factor_pct: float = 20.0
) -> ComputationResult:
    """Emissions of coded lines. Pure numpy gathers and bincounts; see the module docstring.

    ``unknown_factor_pct`` stands in for a factor whose uncertainty the source leaves empty.
    Each array below is one pass over the lines; keep it that way (bench/engine.py watches it).
    """
    arr: LibraryArrays = library.arrays
    fp, pi, q = enc.factor_pos, enc.poste_idx, enc.quantity
    energy = _ENERGY[pi]

    line_total = q * arr.total[fp]
    upstream = q * arr.upstream[fp]  # the part a split factor sends to 4.1 from energy postes
    upstream *= energy
    in_poste = line_total - upstream

    by_poste = np.bincount(pi, weights=in_poste, minlength=N_POSTES).astype(np.float64)
    # What leaves an energy line goes to 4.1 unless its sub-post kind sends it elsewhere
    # (manufacture to 4.2, end of life to 4.3): libraries without such parts pay no extra pass.
    elsewhere = {
        _POSTE_INDEX[poste]: q * per_unit[fp] * energy for poste, per_unit in arr.moved.items()
    }
    to_upstream = upstream - sum(elsewhere.values()) if elsewhere else upstream
    by_poste[_UPSTREAM] += to_upstream.sum()
    for idx, part in elsewhere.items():
        by_poste[idx] += part.sum()

    # Uncertainty, Approach 1 per emission source (uncertainty.combine_per_source); the parts
    # a split factor moves out of the line's poste follow the same routing as the emissions.
    q_idx, q_u = enc.source_quality()
    u2_factor = arr.u_factor_squared(unknown_factor_pct)
    key = source_key(fp, pi, q_idx, len(u2_factor), len(q_u))
    var = combine_per_source(
        key,
        q,
        arr.total,
        arr.upstream,
        _ENERGY,
        u2_factor,
        q_u * q_u,
        ~_APART,
        _UPSTREAM,
        moved={_POSTE_INDEX[poste]: per_unit for poste, per_unit in arr.moved.items()},
        quantities=arr.gas is not None,
    )

    by_gas = by_poste_and_gas(arr.gas, var.quantities, var.factors, by_poste, _ENERGY, _POSTE_INDEX)
    kept_ar5 = None if arr.kept_ar5 is None else arr.kept_ar5[fp]

    flags = arr.flags[fp]  # one gather for both counts below
    biogenic = float(np.dot(q, arr.co2b[fp])) if arr.any_co2b else 0.0
    market_delta = 0.0
    if enc.has_supplier_factor:
        market = np.isfinite(enc.supplier_factor)
        market_delta = float((q[market] * enc.supplier_factor[market] - in_poste[market]).sum())

    shown, omitted = capped(list(enc.warnings))

    def detail() -> pd.DataFrame:
        u_f = np.sqrt(u2_factor[fp])
        u_line = np.hypot(u_f, enc.u_activity)
        return pd.DataFrame(
            {
                "line": enc.line_no,
                "poste": np.asarray(POSTE_CODES, dtype=object)[pi],
                "factor_id": library.factors["factor_id"].to_numpy()[fp],
                "quantity_in_factor_unit": q,
                "factor_unit": np.asarray(arr.units, dtype=object)[arr.unit_code[fp]],
                "kgco2e": line_total,
                "kgco2e_in_poste": in_poste,
                "kgco2e_upstream_4_1": to_upstream,
                **{moved_column(POSTE_CODES[i]): v for i, v in elsewhere.items()},
                "co2b_kg": q * arr.co2b[fp],
                "data_quality": np.asarray(enc.quality_names(), dtype=object)[q_idx],
                "source": key,
                "u_factor_pct": u_f * 100.0,
                "u_activity_pct": enc.u_activity * 100.0,
                # The line's own figures; what the total combines is its source's.
                "uncertainty_pct": u_line * 100.0,
                "uncertainty_kgco2e": u_line * np.abs(line_total),
                "factor_split": energy & ~arr.unsplit[fp],
            }
        )

    return ComputationResult.from_arrays(
        library_version=library.version,
        by_poste=by_poste,
        var_poste=var.by_poste,
        total_var=var.total,
        biogenic_co2_kg=biogenic,
        scope2_market_delta=market_delta,
        unsplit_energy_lines=int(np.count_nonzero(flags & FLAG_UNSPLIT & energy)),
        unknown_factor_uncertainty_lines=int(np.count_nonzero(flags & FLAG_UNKNOWN_U)),
        line_detail=detail,
        warnings=shown,
        warnings_omitted=omitted,
        by_gas_poste=by_gas,
        gwp_set=library.gwp_set,
        gwp_kept_ar5_lines=0 if kept_ar5 is None else int(np.count_nonzero(kept_ar5)),
        gwp_kept_ar5_factors=()
        if kept_ar5 is None or not kept_ar5.any()
        else tuple(sorted(library.factors["factor_id"].to_numpy()[np.unique(fp[kept_ar5])])),
    )


def compute(
    lines: pd.DataFrame,
    library: FactorLibrary,
    scale: UncertaintyScale | None = None,
    line_numbers: npt.ArrayLike | None = None,
    *,
    reference: ReferenceData | None = None,
    year: int | None = None,
) -> ComputationResult:
    """Check, code and compute ``lines`` (see :func:`encode_lines` for the columns)."""
    scale = scale or UncertaintyScale()
    enc = encode_lines(lines, library, scale, line_numbers, reference=reference, year=year)
    return compute_encoded(enc, library, scale.unknown_factor_pct)
