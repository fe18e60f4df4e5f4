"""Synthetic registers whose code mix follows the DfE's published figures for an authority.

Used by `seed_demo` (a few thousand pupils) and `bench` (a whole county). Vectorised: a
school's year is generated as one (pupils x slots) array of code ordinals, in the compact
layout of `schools.register_arrays` (slot = days since 1 August x 2 + session).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from schools.codes import ORDINAL_BY_CODE

DFE_FIGURES = (
    Path(__file__).resolve().parent.parent / "data" / "dfe-pupil-attendance-ytd-2025-26.csv"
)
SLOTS_PER_YEAR = 732
SEVERE_SHARE = 0.01

# Codes a whole absent day is recorded with, and the DfE column that counts each.
ABSENCE_COLUMNS = {
    "I": "reason_i_authorised_illness",
    "M": "reason_m_authorised_medical_dental",
    "R": "reason_r_authorised_religious_observance",
    "S": "reason_s_authorised_study_leave",
    "T": "reason_t_authorised_mobile_child",
    "E": "reason_e_authorised_excluded",
    "C": "reason_c_authorised_other",
    "C1": "reason_c1_authorised_regulated_performance",
    "J1": "reason_j1_authorised_interview",
    "C2": "reason_c2_authorised_temp_reduced_timetable",
    "G": "reason_g_unauthorised_holiday",
    "O": "reason_o_other_unauthorised",
    "N": "reason_n_no_reason_yet",
}
APPROVED_COLUMNS = {
    "B": "reason_b_aea_education_off_site",
    "P": "reason_p_aea_approved_sporting_activity",
    "V": "reason_v_aea_educational_visit_trip",
    "W": "reason_w_aea_work_experience",
    "K": "reason_k_aea_education_arranged_by_la",
}
PHASE_COLUMN = {
    "primary": "Primary",
    "nursery": "Primary",
    "secondary": "Secondary",
    "all_through": "Secondary",
    "special": "Special",
    "pru": "Special",
}


@dataclass(frozen=True)
class CodeMix:
    """Per-session rates for one phase, from an authority's published year-to-date figures."""

    absence_rate: float  # whole-day absence, excluding U
    approved_rate: float
    late_rate: float  # L, per AM session
    late_after_close_rate: float  # U, per AM session
    absence_codes: tuple[str, ...]
    absence_weights: tuple[float, ...]
    approved_codes: tuple[str, ...]
    approved_weights: tuple[float, ...]


@cache
def code_mix(la_name: str, phase: str) -> CodeMix:
    """The code mix for a school phase in an authority (e.g. "Kent", "primary")."""
    column_phase = PHASE_COLUMN[phase]
    with DFE_FIGURES.open(newline="", encoding="utf-8") as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if r["la_name"] == la_name and r["education_phase"] == column_phase
        )
    possible = float(row["possible_sessions"])
    absence = {code: float(row[col]) for code, col in ABSENCE_COLUMNS.items()}
    approved = {code: float(row[col]) for code, col in APPROVED_COLUMNS.items()}
    am_sessions = possible / 2
    return CodeMix(
        absence_rate=sum(absence.values()) / possible,
        approved_rate=sum(approved.values()) / possible,
        late_rate=float(row["reason_l_present_late_before_registers_closed"]) / am_sessions,
        late_after_close_rate=float(row["reason_u_unauthorised_late_after_registers_closed"])
        / am_sessions,
        absence_codes=tuple(absence),
        absence_weights=_normalised(absence.values()),
        approved_codes=tuple(approved),
        approved_weights=_normalised(approved.values()),
    )


def _normalised(values: object) -> tuple[float, ...]:
    array = np.asarray(list(values), dtype=float)  # type: ignore[call-overload]
    return tuple((array / array.sum()).tolist())


def school_day_slots(school_days: list[date], year_start: date) -> npt.NDArray[np.int64]:
    """Day offsets (from 1 August) of the school days, in order."""
    return np.array([(d - year_start).days for d in school_days], dtype=np.int64)


def pupil_absence_propensities(
    rng: np.random.Generator, n_pupils: int, mean_rate: float
) -> npt.NDArray[np.float64]:
    """Each pupil's chance of missing a day: a long-tailed Beta with the phase's mean.

    The tail gives the realistic spread: most pupils rarely absent, some persistently,
    a few severely (DOMAIN §4).
    """
    alpha = 0.9
    beta = alpha * (1 - mean_rate) / mean_rate
    propensity = rng.beta(alpha, beta, size=n_pupils)
    # Severe absence is rarer than a Beta tail suggests but must exist: about 1 in 100.
    severe = rng.random(n_pupils) < SEVERE_SHARE
    propensity[severe] = rng.uniform(0.5, 0.9, size=int(severe.sum()))
    return propensity


def generate_year(
    rng: np.random.Generator,
    *,
    mix: CodeMix,
    day_offsets: npt.NDArray[np.int64],
    propensity: npt.NDArray[np.float64],
    episodes: bool = True,
) -> npt.NDArray[np.uint8]:
    """A school's year as code ordinals: shape (pupils, 732); 0 where the school did not meet."""
    n_pupils, n_days = propensity.shape[0], day_offsets.shape[0]
    o = ORDINAL_BY_CODE
    am = np.full((n_pupils, n_days), o["/"], dtype=np.uint8)
    pm = np.full((n_pupils, n_days), o["\\"], dtype=np.uint8)

    draw = rng.random((n_pupils, n_days))
    absent = draw < propensity[:, None]
    approved = ~absent & (draw > 1 - mix.approved_rate)
    absence_codes = np.array([o[c] for c in mix.absence_codes], dtype=np.uint8)
    approved_codes = np.array([o[c] for c in mix.approved_codes], dtype=np.uint8)
    day_absence = rng.choice(absence_codes, size=(n_pupils, n_days), p=mix.absence_weights)
    day_approved = rng.choice(approved_codes, size=(n_pupils, n_days), p=mix.approved_weights)
    for half in (am, pm):
        half[absent] = day_absence[absent]
        half[approved] = day_approved[approved]
    late = rng.random((n_pupils, n_days))
    on_time = am == o["/"]
    am[on_time & (late < mix.late_rate)] = o["L"]
    am[on_time & (late > 1 - mix.late_after_close_rate)] = o["U"]

    if episodes and n_days >= 20:
        _add_episodes(rng, am, pm, n_days)

    year = np.zeros((n_pupils, SLOTS_PER_YEAR), dtype=np.uint8)
    year[:, day_offsets * 2] = am
    year[:, day_offsets * 2 + 1] = pm
    return year


def _add_episodes(
    rng: np.random.Generator, am: npt.NDArray[np.uint8], pm: npt.NDArray[np.uint8], n_days: int
) -> None:
    """Runs that drive statutory action: term-time holidays, long illness, long absence."""
    o = ORDINAL_BY_CODE
    n_pupils = am.shape[0]
    plans = (("G", 0.03, 5, 8), ("I", 0.006, 16, 20), ("O", 0.006, 11, 15))
    for code, share, min_days, max_days in plans:
        chosen = np.flatnonzero(rng.random(n_pupils) < share)
        for pupil in chosen:  # a handful of pupils per school: not a per-pupil query loop
            length = int(rng.integers(min_days, max_days + 1))
            if length >= n_days:
                continue
            start = int(rng.integers(0, n_days - length))
            am[pupil, start : start + length] = o[code]
            pm[pupil, start : start + length] = o[code]


def academic_year_start(year: int) -> date:
    return date(year, 8, 1)


def slot_date(year: int, slot: int) -> tuple[date, int]:
    """The date and session (0 AM, 1 PM) of a slot in an academic year."""
    return academic_year_start(year) + timedelta(days=slot // 2), slot % 2
