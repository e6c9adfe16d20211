"""Run gwcalc as a program: `python -m gwcalc`, and the `gwcalc` console script (run)."""

import signal
import sys

# Optional packages pint imports at start-up when they are installed (pint.compat tries each),
# none of which gwcalc uses: numpy alone adds ~60–120 ms to every command (issue 19). The
# program owns its process, so it imports pint without them; the Python API (`import gwcalc`)
# leaves pint as it finds it.
PINT_EXTRAS = ("numpy", "scipy", "babel", "uncertainties")


def import_pint_without_extras() -> tuple[str, ...]:
    """Import pint with PINT_EXTRAS that are not imported yet hidden (None in sys.modules makes
    `import numpy` raise ImportError, as if it were not installed), then unhide them so later
    code may import them. The names hidden."""
    hidden = tuple(name for name in PINT_EXTRAS if name not in sys.modules)
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import pint  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return hidden


def run() -> None:
    """Hold Ctrl-C back while the modules load (a KeyboardInterrupt there would be a traceback);
    gwcalc.cli.main lets it through inside its handler, which exits 130."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    import_pint_without_extras()
    from gwcalc.cli import main

    main()


if __name__ == "__main__":
    run()
