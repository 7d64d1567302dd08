"""What people type into carbon, checked once: one pydantic model per input.

The HTML forms, the JSON API and the spreadsheet import validate with the same models, the same
number ranges (:mod:`.numbers`) and the same messages (:mod:`.messages`, translated in the
reader's language). Nothing here queries the database (only its enums are read) or knows the web:
:mod:`carbon.db` checks what needs stored data (the period's library, the company's sites) and
writes. The reporting period's model (``period.py``) comes from another branch.
"""
