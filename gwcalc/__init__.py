"""gwcalc: a unit-checked, sourced calculator for AI compute supply and demand.

The Python API is `gwcalc.api` (documented there); its names are also offered here, loaded only
when first used (PEP 562), so `import gwcalc` and `gwcalc --help` do not pay for pint or rich:

    >>> import gwcalc
    >>> print(gwcalc.gap("seed-2025")["gap"])
    36.5 GW_IT
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5-15 ms) on every run

__version__ = "0.1.0"

if TYPE_CHECKING:  # the names below, for type checkers and editors
    from gwcalc.api import *  # noqa: F403  # re-exports exactly gwcalc.api.__all__


def __getattr__(name: str) -> object:  # each name's own type: the star import above
    """A name of gwcalc.api, imported on first use."""
    api = importlib.import_module("gwcalc.api")  # lazy by design: the API loads pint
    if name in api.__all__:
        return getattr(api, name)  # not cached here: gwcalc.NAME is always gwcalc.api.NAME
    raise AttributeError(f"module 'gwcalc' has no attribute {name!r}")


def __dir__() -> list[str]:
    api = importlib.import_module("gwcalc.api")
    return sorted([*globals(), *api.__all__])
