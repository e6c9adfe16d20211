"""An assumption set in memory: its header, figures, time axis and overrides, and its hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwcalc.errors import (
    ParameterError,
)
from gwcalc.sets.figures import Parameter
from gwcalc.sets.overrides import apply_overrides
from gwcalc.sets.ranges import parse_unit_or_dimensionless as parse_unit_or_dimensionless
from gwcalc.units.registry import (
    Quantity,
)

if TYPE_CHECKING:
    from gwcalc.sets.ranges import Given
    from gwcalc.sets.time_axis import Timeline

FORMAT = 1  # the oldest format, still read: no time axis
FORMATS = (1, 2)  # format 2 adds values by year, chips, the mix and deals (timeline_data)
DEFAULT_SET = "seed-2025"  # the articles' own numbers: the default of gap, convert, diff…
# timeline's default: a like-for-like market (every buyer's plans against every vendor's chips)
DEFAULT_TIMELINE_SET = "market-2026"
ENV_DEFAULT = "GWCALC_DEFAULT_SET"


@dataclass(frozen=True)
class AssumptionSet:
    """A versioned, sourced set of parameters, as read from one TOML file."""

    id: str
    version: int
    date: str
    title: str
    parameters: Mapping[str, Parameter]
    description: str = ""
    extends: str | None = None
    changes: tuple[str, ...] = ()  # recorded in the file by `assumptions new`
    path: Path | None = field(default=None, compare=False)
    overrides: tuple[str, ...] = ()  # figures replaced for this run by --set
    # what each override did, in words ('every year set to 1.5M wafer/yr; was 675k–2.04M')
    override_effects: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    caveats: tuple[str, ...] = ()  # what is known to be wrong with the set, shown with results
    format: int = FORMAT
    timeline: Timeline | None = None  # format 2: years, chips, mix and deals

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def quantity(self, name: str) -> Quantity:
        try:
            return self.parameters[name].quantity
        except KeyError:
            raise ParameterError(
                f"assumption set {self.id!r} has no parameter {name!r}",
                f"add it to the set's file, or override it for this run ({name}=QUANTITY)",
            ) from None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": self.format,
            "id": self.id,
            "version": self.version,
            "date": self.date,
            "title": self.title,
        }
        if self.description:
            out["description"] = self.description
        if self.extends:
            out["extends"] = self.extends
        if self.changes:
            out["changes"] = list(self.changes)
        if self.caveats:
            out["caveats"] = list(self.caveats)
        out["parameters"] = {n: p.to_dict() for n, p in self.parameters.items()}
        if self.timeline is not None:
            out.update(self.timeline.to_dict())
        return out

    def to_toml(self) -> str:
        import tomli_w

        data = self.to_dict()
        # Multi-line strings read better, but TOML folds CR LF inside them into LF.
        exact = "\\r" not in repr(data)  # repr shows a CR as backslash-r
        return tomli_w.dumps(data, multiline_strings=exact)

    @cached_property
    def sha256(self) -> str:
        """Hash of the set's canonical TOML (parameters sorted by name), so that overrides
        change it and formatting or the order of tables in the file do not."""
        import tomli_w

        data = self.to_dict()
        data["parameters"] = dict(sorted(data["parameters"].items()))
        return hashlib.sha256(tomli_w.dumps(data).encode()).hexdigest()

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"

    def with_overrides(self, overrides: Iterable[tuple[str, Given]]) -> AssumptionSet:
        """A copy with some figures replaced for this run: NAME (a parameter, or one added
        that gwcalc knows by name), NAME.YEAR (one year of a figure given by year) or
        CHIP.FIELD (a chip's figure); override_effects says what each did (gwcalc.overrides)."""
        return apply_overrides(self, overrides)
