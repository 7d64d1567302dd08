"""Energy consumed in MWh (VSME B3 §29), computed by hand from the bundled library's units."""

from __future__ import annotations

import pandas as pd
import pytest

from carbon.accounting.energy import EnergyContent, energy_use, parse_contents
from carbon.factors.bundled import load_bundled_library
from carbon.factors.energy_contents import load_energy_contents


def frame(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["poste", "factor_id", "quantity", "unit"])


def test_electricity_fuels_gas_and_self_generation_in_mwh() -> None:
    lines = frame(
        ("2.1", "bundled:elec-fr-2022", 10_000, "kWh"),  # 10 MWh, grid: non-renewable
        ("2.1", "bundled:pv-rooftop-fr", 0.5, "MWh"),  # 0.5 MWh self-generated, renewable
        ("1.2", "bundled:diesel-b7-fr", 1_000, "litre"),  # 1,000 L × 9.94 kWh = 9.94 MWh
        ("1.1", "bundled:natural-gas-fr-2022", 2_000, "kWh PCS"),  # 2,000 × 0.9 = 1.8 MWh PCI
        ("1.1", "bundled:wood-pellets-fr-tonne", 2, "tonne"),  # 2 t × 4,600 kWh = 9.2 MWh
        ("1.2", "bundled:car-thermal-avg", 5_000, "km"),  # no energy figure: counted apart
        ("4.1", "bundled:money-food", 10, "k€"),  # not an energy poste
    )
    use = energy_use(lines, load_bundled_library(), load_energy_contents())
    assert use.total("electricity") == pytest.approx(10.0)
    assert use.total("self_generated", renewable=True) == pytest.approx(0.5)
    assert use.total("fuel", renewable=False) == pytest.approx(9.94 + 1.8)
    assert use.total("fuel", renewable=True) == pytest.approx(9.2)
    # 10 + 0.5 + 9.94 + 1.8 + 9.2 = 31.44 MWh
    assert use.total() == pytest.approx(31.44)
    assert use.lines_without_energy == [5]


def test_an_energy_factor_the_file_does_not_describe_follows_its_poste() -> None:
    lines = frame(("2.2", "bundled:district-heating-fr-avg", 3_000, "kWh"))
    use = energy_use(lines, load_bundled_library(), {})
    assert use.mwh == {("heat", False): pytest.approx(3.0)}


def test_every_bundled_energy_factor_is_described_with_a_source() -> None:
    library = load_bundled_library()
    contents = load_energy_contents()
    energy_units = ("kWh", "kWh PCS", "kWh PCI", "litre", "kg", "tonne")
    fuels = library.factors[
        library.factors["category_path"].str.startswith(("Combustibles", "Electricité", "Réseaux"))
        & library.factors["unit"].isin(energy_units)
    ]
    assert sorted(set(fuels["factor_id"]) - set(contents)) == []
    assert all(isinstance(c, EnergyContent) for c in contents.values())


def test_a_bad_content_file_names_its_line() -> None:
    with pytest.raises(ValueError, match="line 2, carrier"):
        parse_contents("factor_id,carrier,renewable,kwh_per_unit\nx,steam,false,\n")
    with pytest.raises(ValueError, match="line 2, kwh_per_unit"):
        parse_contents("factor_id,carrier,renewable,kwh_per_unit\nx,fuel,false,-3\n")


def test_italian_gas_in_smc_takes_the_national_net_calorific_value() -> None:
    lines = frame(("1.1", "bundled:natural-gas-it-smc", 1_000, "Smc"))
    use = energy_use(lines, load_bundled_library(), load_energy_contents())
    # 35.253 GJ per 1,000 Smc = 35.253 GJ ÷ 3.6 GJ/MWh = 9.7925 MWh PCI.
    assert use.total("fuel", renewable=False) == pytest.approx(9.7925)
