"""The errors gwcalc's core raises; the CLI turns each into one line on stderr and exit 1."""

from __future__ import annotations

from typing import Any

# How the core tells a user to give a figure for one run, in no interface's words: the CLI
# puts its option (--set) in its place, where it reports the error.
RUN_OVERRIDE = "set it for this run as NAME=QUANTITY"
RUN_RANGE = "for this run as NAME=LOW..HIGH"
OVERWRITE = "use force"  # the CLI's --force


class GwcalcError(Exception):
    """Base of every error gwcalc reports to a user: a message, and a hint on how to fix it."""

    kind = "error"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = 1  # `diff --exit-code` raises it to 2, as git diff does

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.kind, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out


class QuantityError(GwcalcError, ValueError):
    """Text that is not a number with a unit gwcalc knows."""

    kind = "quantity"


class UnitError(GwcalcError, ValueError):
    """A unit name gwcalc does not know."""

    kind = "unit"


class DimensionError(GwcalcError, ValueError):
    """Two quantities whose dimensions cannot be converted into each other."""

    kind = "dimension"


class AssumptionFileError(GwcalcError):
    """A missing, unreadable or malformed assumption file (names the file, line and key)."""

    kind = "assumption_file"

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = path or "<assumptions>"
        if line is not None:
            where += f":{line}"
        if key:
            where += f" [{key}]"
        super().__init__(f"{where}: {message}", hint)
        self.path = path
        self.line = line
        self.key = key

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if self.path:
            out["file"] = self.path
        if self.line is not None:
            out["line"] = self.line
        if self.key:
            out["key"] = self.key
        return out


class ParameterError(GwcalcError, ValueError):
    """A parameter that is unknown, missing, or has a value that makes no sense."""

    kind = "parameter"


class SetNotFoundError(GwcalcError):
    """An assumption-set name that matches no file in the search path."""

    kind = "set_not_found"


class WriteError(GwcalcError):
    """A set that could not be written (exists already, or the folder is not writable)."""

    kind = "write"


class OutputRangeError(GwcalcError):
    """A number of a result no float carries (inf, NaN, subnormal): nothing is printed."""

    kind = "output_range"
