"""The coach's view of a cohort: where each company is on the path, what is missing, who is stuck.

Coaches follow cohorts of 10 to 300 companies for 6 to 12 months and report to the funders
(programmes.md). Everything a coach's page shows is computed here, from the database, in a fixed
number of queries whatever the cohort's size (no query per company), so the web layer only
renders:

- :mod:`carbon.coaching.path`: the stages of the coached path and the BEGES categories each
  sector is expected to fill (pure);
- :mod:`carbon.coaching.outliers`: "this figure looks wrong" fences (pure);
- :mod:`carbon.coaching.footprints`: the cohort's periods and their footprints, computed in batch;
- :mod:`carbon.coaching.dashboard`: the cohort table, its flags and the programme KPIs;
- :mod:`carbon.coaching.table`: filtering and sorting that table from a query string;
- :mod:`carbon.coaching.cohorts`: the list of a coach's cohorts with their counts;
- :mod:`carbon.coaching.peers`: an anonymised comparison of one company with its cohort;
- :mod:`carbon.coaching.validation`: submitted → validated → locked, comments and history.

No FastAPI here: permissions are decided by ``carbon.web.access`` before these are called.
"""
