"""The end of the company report: data quality and completeness, and the methodology annex.

The annex lists every factor the period used with its source, identifier, library version,
uncertainty and whether it was checked against the official ADEME export (methodology.md:
every figure traceable to lines × factors × conversions).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from carbon.accounting.notices import grouped
from carbon.accounting.uncertainty import DEFAULT_QUALITY_PCT
from carbon.i18n import MISSING, ngettext
from carbon.i18n import gettext as _
from carbon.reports import labels
from carbon.reports.layout import CONTENT_WIDTH, Col, Heading, para, table
from carbon.reports.model import PeriodReport
from carbon.reports.text import num, pct, t

W = CONTENT_WIDTH
# The activity uncertainties the pages and reports compute with (compute_period's default).
QUALITY_KEYS = {"m": "measured", "e": "estimated", "x": "extrapolated"}


def data_quality(r: PeriodReport) -> list[Flowable]:
    res = r.result
    shares = r.quality_shares()
    rows = [[labels.quality(q), str(n), pct(share)] for q, (n, share) in sorted(shares.items())]
    cols = [
        Col(_("Data quality"), W - 160),
        Col(_("Lines"), 80, True),
        Col(_("Share of emissions"), 80, True),
    ]
    covered = sorted(r.postes_with_data)
    out: list[Flowable] = [
        Heading(_("Data quality and completeness")),
        table(cols, rows),
        Spacer(1, 3 * mm),
    ]
    out.append(
        para(
            _("Postes with data: %(n)s of 22 (%(list)s).")
            % {"n": len(covered), "list": ", ".join(covered) or MISSING}
        )
    )
    flags = [
        (
            res.unsplit_energy_lines,
            _(
                "energy line(s) use a factor without a combustion/upstream "
                "split: their whole value stays in their poste."
            ),
        ),
        (
            res.unknown_factor_uncertainty_lines,
            _("line(s) use a factor whose source gives no uncertainty: a default is used."),
        ),
        (sum(1 for f in r.factors if f.estimate), _("factor(s) are labelled estimates.")),
        (
            sum(1 for f in r.factors if not f.checked),
            _("factor(s) are not yet checked against the official ADEME export."),
        ),
    ]
    out += [para(f"{n} {text}") for n, text in flags if n]
    top = r.uncertainty_sources(5)
    if top:
        out += [Spacer(1, 3 * mm), Heading(_("What weighs most in the uncertainty"), 1)]
        rows = [
            [
                src.line.activity
                if src.lines == 1
                else _("%(activity)s (%(n)s lines)")
                % {"activity": src.line.activity, "n": src.lines},
                src.line.poste,
                labels.quality(src.line.data_quality),
                t(src.kgco2e),
                t(src.uncertainty_kg),
                pct(src.variance_share_pct),
            ]
            for src in top
        ]
        cols = [
            Col(_("Activity"), W - 335),
            Col(_("Poste"), 35),
            Col(_("Data quality"), 90),
            Col(_("t CO₂e"), 65, True),
            Col(_("± t CO₂e"), 65, True),
            Col(_("Share of variance"), 80, True),
        ]
        out.append(table(cols, rows))
    return out


def factor_value(kg_per_unit: float) -> str:
    """Enough decimals to read a small factor (0,0520), not so many for a large one (1 924,0)."""
    size = abs(kg_per_unit)
    return num(kg_per_unit, 4 if size < 1 else 3 if size < 10 else 2 if size < 100 else 1)


MAX_WARNING_GROUPS = 40  # a page's worth; the results page lists the rest


def method_warnings(r: PeriodReport) -> list[Flowable]:
    """What the method did to some lines (country without a variant, spend converted from
    VAT-included, residual mix…), each message once with its lines, as on the results page."""
    groups = grouped(r.result.warnings)
    if not groups:
        return []
    out: list[Flowable] = [Spacer(1, 2 * mm), para(_("What the method did to some lines"), "h2")]
    for g in groups[:MAX_WARNING_GROUPS]:
        text = ngettext(
            "Line %(lines)s: %(message)s", "Lines %(lines)s (%(num)s): %(message)s", len(g.lines)
        ) % {"lines": g.named_lines(), "num": len(g.lines), "message": g.message}
        out.append(para(text, "small"))
    left = len(groups) - MAX_WARNING_GROUPS
    if left > 0:
        out.append(para(_("… and %(n)s more.") % {"n": left}, "small"))
    omitted = r.result.warnings_omitted  # lines past the result's own cap, as the page says
    if omitted:
        text = ngettext(
            "%(num)s more line has a note that is not listed.",
            "%(num)s more lines have notes that are not listed.",
            omitted,
        ) % {"num": omitted}
        out.append(para(text, "small"))
    return out


def methodology(r: PeriodReport) -> list[Flowable]:
    text = [
        _(
            "Emissions of a line are its quantity, converted to the factor's unit, times the "
            "factor (kg CO₂e per unit). Results follow the French regulatory method (BEGES v5, "
            "2022) and its six ISO 14064-1 categories, and are also shown in GHG Protocol scopes."
        ),
        _(
            "Global warming potentials: %(gwp)s (the ADEME Base Empreinte uses AR5). Emissions "
            "by gas come from the factors' breakdown by gas where the source gives one; the "
            "rest is shown as not broken down."
        )
        % {"gwp": labels.gwp_set(r.result.gwp_set)},
        _(
            "For fuels and electricity, only the combustion part stays in postes 1.1, 1.2, 2.1 and "
            "2.2; the upstream part goes to poste 4.1, the manufacture of vehicles and equipment "
            "to 4.2. Biogenic CO₂ is reported apart (hors bilan), not in the total; biomass "
            "(poste 1.5) counts in category 1."
        ),
        _(
            "Each line's relative uncertainty combines the factor's and the activity data's "
            "(measured %(m)s, estimated %(e)s, extrapolated %(x)s). Lines of one factor, poste "
            "and data quality are one emission source: their uncertainties add up, and sources "
            "combine in quadrature (IPCC 2006, vol. 1 ch. 3, Approach 1 per source), so entering "
            "data in more lines never narrows the result."
        )
        % {k: pct(DEFAULT_QUALITY_PCT[q], 0) for k, q in QUALITY_KEYS.items()},
        _(
            "Every factor below comes from the factor library %(v)s, pinned to this period: a new "
            "library never changes its figures silently."
        )
        % {"v": r.result.library_version},
    ]
    mc = r.monte_carlo
    if mc is not None:
        text.append(
            _(
                "Check by simulation (IPCC Approach 2): %(draws)s seeded draws (seed %(seed)s), "
                "factors and activity data lognormal, one draw per factor shared by all its "
                "lines. Mean %(mean)s t CO₂e, 95%% interval %(lo)s to %(hi)s t CO₂e, that is "
                "± %(mc)s, against ± %(analytic)s computed above."
            )
            % {
                "draws": num(mc.draws, 0),
                "seed": mc.seed,
                "mean": t(mc.mean_kgco2e),
                "lo": t(mc.p2_5_kgco2e),
                "hi": t(mc.p97_5_kgco2e),
                "mc": pct(mc.half_width_pct),
                "analytic": pct(r.result.uncertainty_pct),
            }
        )
    out: list[Flowable] = [Heading(_("Methodology and emission factors"))]
    out += [para(p) for p in text]
    out += method_warnings(r)
    out.append(Spacer(1, 3 * mm))
    rows = []
    for f in r.factors:
        status = (
            _("checked against the official export")
            if f.checked
            else _("estimate")
            if f.estimate
            else _("not yet checked")
        )
        u = MISSING if f.uncertainty_pct is None else pct(f.uncertainty_pct, 0)
        if f.uncertainty_pct is not None and f.uncertainty_is_default:
            u += " " + _("(default)")
        source = f.source + (f" [{f.source_ref}]" if f.source_ref else "")
        rows.append(
            [
                f.name,
                f"{f.factor_id}\n{f.library_version}",
                source,
                f"{factor_value(f.kg_per_unit)} / {f.unit}",
                u,
                status,
            ]
        )
    cols = [
        Col(_("Factor"), 105),
        Col(_("Identifier, library"), 95),
        Col(_("Source"), W - 406),
        Col(_("kg CO₂e per unit"), 70, True),
        Col(_("Uncertainty"), 62, True),
        Col(_("Status"), 74),
    ]
    if rows:
        out.append(table(cols, rows))
    return out
