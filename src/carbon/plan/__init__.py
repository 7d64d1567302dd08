"""Transition plans: targets and trajectories, decarbonisation actions, factor-version comparisons.

Phase 2 of a coached path (Diag Décarbon'Action, PZCM) is "co-build a reduction action plan": this
package holds what that needs apart from the web pages. ``library`` is the mountain action library
(``emission_factors/actions.csv``), ``savings`` and ``trajectory`` are pure arithmetic, and
``footprints``, ``services`` and ``compare`` read and write the database. Nothing here imports
FastAPI, so the PDF reports and the cohort views can reuse it.
"""
