"""The spring and summer terms the TSM tests add to the test calendar's autumn term."""

from datetime import date

SPRING = (date(2026, 1, 5), date(2026, 3, 27))
SUMMER = (date(2026, 4, 13), date(2026, 7, 21))
