"""The code table as NumPy lookup arrays indexed by ordinal (schools/codes.py), for the
vectorised kernels. Kept apart from the code table so that loading the models (which need
codes) does not load NumPy."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from schools.codes import (
    ALL_CODES,
    CATEGORIES,
    ILLNESS_CODE,
    N_CODE,
    ORDINAL_BY_CODE,
    ORDINAL_COUNT,
    Category,
)


def _table(flag: dict[str, bool]) -> npt.NDArray[np.bool_]:
    """A read-only bool array indexed by ordinal; NO_MARK is always False."""
    table = np.zeros(ORDINAL_COUNT, dtype=np.bool_)
    for code, value in flag.items():
        table[ORDINAL_BY_CODE[code]] = value
    table.flags.writeable = False
    return table


def _where(predicate: str) -> npt.NDArray[np.bool_]:
    return _table({c: bool(getattr(meta, predicate)) for c, meta in ALL_CODES.items()})


def _category_index() -> npt.NDArray[np.uint8]:
    """Ordinal -> position in CATEGORIES; NO_MARK -> len(CATEGORIES)."""
    table = np.full(ORDINAL_COUNT, len(CATEGORIES), dtype=np.uint8)
    for code, meta in ALL_CODES.items():
        table[ORDINAL_BY_CODE[code]] = CATEGORIES.index(meta.category)
    table.flags.writeable = False
    return table


# Lookup tables indexed by ordinal, all derived from the code table above.
IS_POSSIBLE: Final = _where("possible")
IS_PRESENT_OR_APPROVED: Final = _where("counts_as_attendance")
IS_AUTHORISED: Final = _table({c: m.category is Category.AUTHORISED for c, m in ALL_CODES.items()})
IS_UNAUTHORISED: Final = _where("is_unauthorised")
IS_THRESHOLD: Final = IS_UNAUTHORISED  # G/N/O/U count towards the penalty threshold (DOMAIN §5)
IS_ILLNESS: Final = _table({ILLNESS_CODE: True})
IS_N: Final = _table({N_CODE: True})
IS_CLOSURE: Final = _where("whole_school_closure")  # # and Y4 (DOMAIN §13)
CATEGORY_INDEX: Final = _category_index()
