"""The overclaim audit: engine, catalog matching, stance, reports and the ``audit`` CLI.

Modules are imported on demand (``claimaudit.audit`` and ``claimaudit.Auditor`` lead to
:mod:`claimaudit.auditing.engine`), so importing this package costs nothing.
"""
