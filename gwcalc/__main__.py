"""Run gwcalc as a program: `python -m gwcalc`, and the `gwcalc` console script (run)."""

import signal


def run() -> None:
    """Hold Ctrl-C back while the modules load (a KeyboardInterrupt there would be a traceback);
    gwcalc.cli.main lets it through inside its handler, which exits 130."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    from gwcalc.cli import main

    main()


if __name__ == "__main__":
    run()
