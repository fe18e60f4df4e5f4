"""The case letters quote the attendance improvement agreement inside a sentence of their own:
the quote loses its full stop so the sentence does not end with two."""

import pytest

from referrals.templatetags.referrals import without_final_stop


@pytest.mark.parametrize(
    ("agreement", "quoted"),
    [
        ("Weekly check-ins.", "Weekly check-ins"),
        ("Weekly check-ins", "Weekly check-ins"),
        ("Weekly check-ins.  ", "Weekly check-ins"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_quoted_agreement_loses_its_own_full_stop(agreement, quoted) -> None:  # type: ignore[no-untyped-def]
    assert without_final_stop(agreement) == quoted
