"""Settings split by environment: base (shared), local, test, production.

Every value that comes from the environment is read in `base.py` and nowhere else.
"""
