"""The red-team list of issue 15, re-run so that it stays fixed (docs/security.md has the table).

- default secret, forged administrator cookie: test_secret.py
- huge and non-finite numbers, stored or posted: test_extreme_numbers.py, test_json_numbers.py
- XLSX zip bomb: test_upload_bombs.py
- sessions that cannot be ended: test_sessions.py
- concurrent SQLite writers, stale writes: test_sqlite_writers.py
- restore into a non-empty database, backup file mode: test_backup_safety.py
- workflow roles (self-invitation, reopening a locked period): test_workflow_roles.py
- deleted lines' comments and reused ids: test_deleted_lines.py
- '²' and ids >= 2**63 in forms and queries: test_bad_ids.py
- an error that breaks the kept-alive connection: test_keep_alive.py
- 6 MiB form, Cache-Control on the API, forwarded headers: test_http_limits.py
- import previews without bound: test_import_previews.py
"""
