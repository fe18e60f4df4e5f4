"""The authority's base floor: areas, districts, teams, users and roles, audit, the Celery app.

Nothing here imports a higher floor (docs/adr/0008-floors.md).
"""
