"""The click group class that funnels every error into one line on stderr and an exit code."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import Any

import click

from gwcalc.errors import GwcalcError

EXIT_ERROR = 1
EXIT_USAGE = 2


class JsonMode:
    """Whether this run asked for --json: set by the option's callback once click has parsed
    it, guessed from argv only when parsing itself failed."""

    flag: bool | None = None

    @classmethod
    def remember(cls, ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        cls.flag = bool(value) or bool(cls.flag)
        return value

    @classmethod
    def resolve(cls, argv: list[str]) -> bool:
        if cls.flag is not None:
            return cls.flag
        before_dashes = argv[: argv.index("--")] if "--" in argv else argv
        return "--json" in before_dashes


class GwcalcGroup(click.Group):
    """A click group whose errors are one line on stderr (and a JSON object with --json)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (gwcalc … | head): not an error. Point stdout at /dev/null
            # so that the final flush does not fail again.
            with contextlib.suppress(OSError, ValueError, AttributeError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            return 0

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        JsonMode.flag = None
        code: Any = 0
        try:
            code = super().main(
                argv, prog_name or "gwcalc", complete_var, standalone_mode=False, **extra
            )
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `gwcalc`: help, as click does
            click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message(), err=True)
            code = EXIT_USAGE
        except click.UsageError as exc:
            code = _report(exc.format_message(), "usage", EXIT_USAGE, argv, exc)
        except click.ClickException as exc:
            code = _report(exc.format_message(), "error", exc.exit_code, argv, exc)
        except click.Abort:
            code = _report("aborted", "aborted", EXIT_ERROR, argv, None)
        except GwcalcError as exc:
            code = _report(exc.message, exc.kind, exc.exit_code, argv, exc, exc.to_dict())
        except Exception as exc:  # a bug: still no traceback for users, unless they ask
            if os.environ.get("GWCALC_DEBUG"):
                raise
            message = f"internal error ({type(exc).__name__}: {exc}); rerun with GWCALC_DEBUG=1"
            code = _report(message, "internal", EXIT_ERROR, argv, exc)
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _usage_hint(exc: click.UsageError) -> str | None:
    see = f"see '{exc.ctx.command_path} --help'" if exc.ctx is not None else None
    if isinstance(exc, click.NoSuchOption) and re.fullmatch(r"-[\d.]\S*", exc.option_name):
        negative = "a negative number looks like an option: put '--' before it, as in -- '-6 GW'"
        return f"{negative}; {see}" if see else negative
    return see


def _report(
    message: str,
    kind: str,
    code: int,
    argv: list[str],
    exc: BaseException | None,
    detail: dict[str, Any] | None = None,
) -> int:
    hint = getattr(exc, "hint", None)
    if isinstance(exc, click.UsageError):
        hint = _usage_hint(exc)
    click.echo(f"Error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    if JsonMode.resolve(argv):
        import json

        payload = detail or {"type": kind, "message": message, **({"hint": hint} if hint else {})}
        click.echo(json.dumps({"error": payload}, ensure_ascii=False))
    return code
