"""Receiving schools' and the authority's files: schools, calendars, pupils, marks, CTF.

Each format module reads and checks a file into plain rows or `RowError`s; `services`
applies a file whole, atomically and idempotently (see docs/import-formats.md).
"""
