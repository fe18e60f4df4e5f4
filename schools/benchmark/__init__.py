"""The county-scale benchmark behind `manage.py bench` (PostgreSQL only); not product code.

It builds a synthetic county — schools, pupils, enrolments and a school year of marks with
Kent's published code mix — then measures the operations the service must do every day:
importing a county day from CSV, an identical re-send, the projection refresh, and the
nightly evaluation of every pupil, against a NumPy floor over the same arrays.

- `county`: building (and dropping) the synthetic county;
- `run`: the measured operations and the figures `manage.py bench` prints;
- `pages`: page times through Django's test client;
- `synthetic`: registers with Kent's published code mix (the demo uses them too).
"""
