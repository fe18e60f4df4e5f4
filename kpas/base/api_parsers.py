"""The API's JSON parser: bounded (issue 15 item 2). A body nested deeper than any request
needs, or carrying a NUL character (which PostgreSQL cannot store in text), is a 400 with a
clear message — never a RecursionError or a database error (500)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH: Final = 20
TOO_DEEP: Final = f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
HAS_NUL: Final = "The JSON body contains a NUL character (\\u0000), which no value may contain."


def json_problem(value: Any) -> str | None:
    """Why a parsed JSON value is refused, or None. Iterative: no recursion to exhaust."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return HAS_NUL
            continue
        if isinstance(item, Mapping):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            return TOO_DEEP
        stack.extend((child, depth + 1) for child in children)
    return None


# A date a request may name (`as_of`, `from`, `to`): wide, but never one whose arithmetic
# overflows (`0001-01-01`, `9999-12-31`).
EARLIEST_DATE: Final = date(1900, 1, 1)
LATEST_DATE: Final = date(2100, 12, 31)
DATE_FORM: Final = "Enter a date as YYYY-MM-DD."
DATE_RANGE: Final = f"Enter a date between {EARLIEST_DATE} and {LATEST_DATE}."


def request_date(raw: str) -> date:
    """A date from a query parameter; ValueError with the message to show."""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(DATE_FORM) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(DATE_RANGE)
    return day


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if problem := json_problem(data):
            raise ParseError(problem)
        return data
