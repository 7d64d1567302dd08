"""What leaves the tool: PDF reports and certificates, and spreadsheet exports.

A company shows its report to its staff and its bank; a coach hands the cohort report to the
programme's funders and certificates at the closing event; coaches and companies open the
exports in a spreadsheet. Everything here is built from plain data (``model``, ``model_cohort``)
that ``data`` and ``data_cohort`` fill from the database, so the builders are tested without
one, and nothing here imports the web framework: the routes are in carbon.web.routes.downloads.

- ``company``, ``company_sections``, ``company_annex``: the company's progress report (PDF);
- ``cohort``: the cohort report (PDF); ``certificate``: participation certificates (PDF);
- ``exports``: CSV and XLSX files, written through ``spreadsheet`` (formula neutralisation);
- ``document``, ``layout``, ``charts``, ``fonts``, ``text``, ``labels``: what the PDFs share.
"""
