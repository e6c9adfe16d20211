"""Run gwcalc as a program: `python -m gwcalc`, and the `gwcalc` console script (run)."""

import os
import signal
import sys

# Optional packages pint imports at start-up when they are installed (pint.compat tries each),
# none of which gwcalc uses: numpy alone adds ~60–120 ms to every command (issue 19). The
# program owns its process, so it hides them from the start (pint is imported later, and only
# by the commands that need it: --help and shell completion never import it); the Python API
# (`import gwcalc`) leaves pint as it finds it.
PINT_EXTRAS = ("numpy", "scipy", "babel", "uncertainties")


def hide_pint_extras() -> tuple[str, ...]:
    """Hide PINT_EXTRAS that are not imported yet for the rest of the process (None in
    sys.modules makes `import numpy` raise ImportError, as if it were not installed); the
    names hidden. Code of the program that wants one later deletes its entry first."""
    hidden = tuple(name for name in PINT_EXTRAS if name not in sys.modules)
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    return hidden


def run() -> None:
    """Hold Ctrl-C back while the modules load (a KeyboardInterrupt there would be a traceback);
    gwcalc.cli.main lets it through inside its handler, which exits 130. A run whose answer
    was kept (gwcalc.answers) writes it and ends before any of them loads."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    hide_pint_extras()
    from gwcalc.answers.store import Request

    request = Request.of(sys.argv)  # a repeat of a run that only read: its answer, kept
    if request is not None:
        kept = request.kept()
        if kept is not None:
            os._exit(replay(kept))  # as gwcalc.cli.main ends: no teardown
        from gwcalc.answers.record import Recorder

        recorder = Recorder(request).start()
    from gwcalc.cli import main

    main(recorder.finish if request is not None else None)


def replay(chunks: list[tuple[int, str]]) -> int:
    """Write a kept answer, Ctrl-C let through (it exits 130 with one line, as a command does)."""
    from gwcalc.answers.store import EXIT_INTERRUPTED, write_chunks

    try:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        return write_chunks(chunks)
    except KeyboardInterrupt:
        try:
            sys.stderr.write("Error: interrupted\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError, KeyboardInterrupt):
            pass
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    run()
