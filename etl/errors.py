"""Problems found while checking the register, and the error that carries all of them.

The build never stops at the first problem: every check appends a :class:`Problem` naming the file,
the record and the field, and the build fails once with the whole list.

Example:
    >>> str(Problem("data/figures.yaml", "figure 'x'", "quote", "not found", line=12))
    "data/figures.yaml:12: figure 'x': field 'quote': not found"
"""

from __future__ import annotations

from dataclasses import dataclass


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
