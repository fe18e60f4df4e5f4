"""The published figures a school is benchmarked against (KSAH §25; DOMAIN §4, §12, §14)."""

from __future__ import annotations

import csv

import pytest

from schools.national_figures import (
    DFE_ATTENDANCE_FILE,
    NO_FIGURE_REASONS,
    PHASE_NOTES,
    all_phases_figures,
    authority_figures,
    benchmark_for,
    national_figures,
    regional_figures,
)


def national_row(phase: str) -> dict[str, str]:
    with DFE_ATTENDANCE_FILE.open(newline="", encoding="utf-8") as handle:
        return next(
            row
            for row in csv.DictReader(handle)
            if row["geographic_level"] == "National" and row["education_phase"] == phase
        )


@pytest.mark.parametrize(
    ("school_phase", "published_phase"),
    [
        pytest.param("primary", "Primary", id="primary"),
        pytest.param("secondary", "Secondary", id="secondary"),
        pytest.param("special", "Special", id="special"),
        pytest.param("all_through", "Secondary", id="all-through-counted-as-secondary"),
    ],
)
def test_national_figures_are_the_national_row_of_the_phase(school_phase, published_phase):
    row = national_row(published_phase)
    figures = national_figures(school_phase)
    assert figures is not None
    assert figures.geography == "England"
    assert figures.education_phase == published_phase
    assert figures.time_period == "2025/26"
    assert figures.attendance == pytest.approx(float(row["attendance_perc"]))
    assert figures.absence == pytest.approx(float(row["overall_absence_perc"]))
    assert figures.authorised == pytest.approx(float(row["authorised_absence_perc"]))
    assert figures.unauthorised == pytest.approx(float(row["unauthorised_absence_perc"]))
    assert figures.persistent_absence == pytest.approx(float(row["pa_perc"]))
    assert figures.severe_absence is None  # not published in this file


def test_published_rates_agree_with_the_published_session_counts():
    # attendance = (present + approved activity) / possible, as DOMAIN §2 defines it.
    row = national_row("Primary")
    expected = 100 * float(row["overall_attendance"]) / float(row["possible_sessions"])
    assert national_figures("primary").attendance == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("phase", ["pru", "nursery"])
def test_no_national_figure_is_said_plainly(phase):
    assert national_figures(phase) is None
    benchmark = benchmark_for(phase=phase, la_number="886")
    assert benchmark.national is None and benchmark.authority is None
    assert benchmark.no_figure_reason == NO_FIGURE_REASONS[phase]


def test_all_through_says_why_it_is_compared_with_secondary():
    benchmark = benchmark_for(phase="all_through", la_number="886")
    assert benchmark.national.education_phase == "Secondary"
    assert benchmark.note == PHASE_NOTES["all_through"]


def test_kent_figures_come_from_its_local_authority_row():
    kent = authority_figures("886", "secondary")
    assert kent is not None and kent.geography == "Kent"
    assert kent.attendance == pytest.approx(91.7017786444543)


def test_suppressed_rows_give_no_figure():
    # City of London (201) has one primary school: the DfE suppresses it ("c").
    assert authority_figures("201", "primary") is None
    assert authority_figures("", "primary") is None
    assert authority_figures("999", "primary") is None


@pytest.mark.parametrize(
    ("la_number", "phase", "region", "attendance", "persistent"),
    [
        # Kent (886) is in the South East (E12000008): its "Regional" rows.
        ("886", "primary", "South East", 94.735545499745, 13.3120919744536),
        ("886", "special", "South East", 86.2144106067218, 37.1681094056885),
        ("886", "all_through", "South East", 91.5152670375487, 23.5325764526839),
        ("211", "secondary", "London", 92.8039859953627, 21.1536728071326),  # Tower Hamlets
    ],
)
def test_the_region_is_the_one_the_authoritys_row_names(
    la_number, phase, region, attendance, persistent
):
    figures = regional_figures(la_number, phase)
    assert figures is not None and figures.geography == region
    assert figures.attendance == pytest.approx(attendance)
    assert figures.persistent_absence == pytest.approx(persistent)
    assert benchmark_for(phase=phase, la_number=la_number).region == figures


def test_no_regional_figure_without_a_phase_or_a_known_authority():
    assert regional_figures("886", "pru") is None
    assert regional_figures("999", "primary") is None
    assert benchmark_for(phase="primary", la_number="886", state_funded=False).region is None


def test_all_phases_figures_are_the_total_rows():
    national, region, kent = all_phases_figures("886")
    assert national.attendance == pytest.approx(93.1167518649325)
    assert region.geography == "South East" and region.education_phase == "Total"
    assert kent.geography == "Kent" and kent.education_phase == "Total"
