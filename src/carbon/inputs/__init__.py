"""What people type into carbon, checked once: one pydantic model per input.

The HTML forms and the JSON API validate with the same models; the spreadsheet import, which
checks whole columns at once, with the same number ranges (:mod:`.numbers`) and the same message
codes (:mod:`.messages`, worded in the reader's language). Nothing here queries the database
(only its enums are read) or knows the web: :mod:`carbon.db` checks what needs stored data (the
period's library, the company's sites) and writes. The reporting period's model (``period.py``)
comes from another branch.
"""
