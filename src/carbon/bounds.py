"""The stated ranges of the numbers people give carbon, in one place.

Every entry path (the pages' forms, the spreadsheet import, the JSON API, custom factors) bounds
its numbers with these constants, so a quantity the API accepts is one the form accepts too.
The bounds are far beyond any real mountain firm and far below what a float's arithmetic or
babel's formatting chokes on: 1e200 litres of diesel once made every page of a cohort answer 500.
"""

from __future__ import annotations

from typing import Final

# An activity quantity in its unit (litres, kWh, km, € ...): a ski area burns about 1e6 litres
# of diesel a year; a trillion of any unit is no real firm's year.
MAX_QUANTITY: Final = 1e12
# An emission factor in kgCO2e per unit (supplier-specific or custom): the largest in the
# ADEME Base Carbone are a few tens of thousands per unit (SF6 is 23,500 kg per kg).
MAX_FACTOR_KGCO2E: Final = 1e6
