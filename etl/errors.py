"""Problems found while checking the register, and the error that carries all of them.

The build never stops at the first problem: every check appends a :class:`Problem` naming the file,
the record and the field, and the build fails once with the whole list.

Example:
    >>> str(Problem("data/figures.yaml", "figure 'x'", "quote", "not found", line=12))
    "data/figures.yaml:12: figure 'x': field 'quote': not found"
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

# A register value can be a large nested structure (or a long text): a message shows its start
# only, built without ever formatting the whole value.
_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxlong, _BRIEF.maxother = 2, 60, 40, 60
_BRIEF.maxtuple = _BRIEF.maxlist = _BRIEF.maxdict = _BRIEF.maxset = _BRIEF.maxfrozenset = 4


def brief(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to about ``limit`` characters, in time bounded by ``limit``.

    Example:
        >>> brief("x" * 1000)
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
        >>> brief([[list(range(10))] * 10] * 10, limit=30)
        '[[[...], [...], [...], [...], …'
    """
    try:
        text = _BRIEF.repr(value)
    except ValueError:  # an int too long to print (sys.int_info.default_max_str_digits)
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) <= limit + 10 else text[:limit] + "…"


@dataclass(frozen=True)
class Problem:
    """One violation: where it is (file, line, record, field) and what is wrong."""

    file: str
    record: str | None
    field: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(f"field '{self.field}'")
        parts.append(self.message)
        return ": ".join(parts)


class BuildError(Exception):
    """Raised once with every problem found; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class LockedError(Exception):
    """Another build holds the lock on the output directory."""
