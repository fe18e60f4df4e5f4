"""Casework: the KPAS officer's cases, each an explicit state machine (referrals floor).

A nested Django app (label `cases`) inside `referrals`: a case grows out of a Digital Front
Door submission and the DFD is the only door into it, so it lives on the referrals floor
and the layers contract needs no new layer.
"""
