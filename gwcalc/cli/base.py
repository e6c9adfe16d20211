"""The click group class that funnels every error into one line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from gwcalc.errors import GwcalcError

EXIT_ERROR = 1
EXIT_USAGE = 2


class GwcalcGroup(click.Group):
    """A click group whose errors are one line on stderr (and a JSON object with --json)."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        as_json = "--json" in argv
        code: Any = 0
        try:
            code = super().main(
                argv, prog_name or "gwcalc", complete_var, standalone_mode=False, **extra
            )
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `gwcalc`: help, as click does
            click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message(), err=True)
            code = EXIT_USAGE
        except click.UsageError as exc:
            code = _report(exc.format_message(), "usage", EXIT_USAGE, as_json, exc)
        except click.ClickException as exc:
            code = _report(exc.format_message(), "error", exc.exit_code, as_json, exc)
        except click.Abort:
            code = _report("aborted", "aborted", EXIT_ERROR, as_json, None)
        except GwcalcError as exc:
            code = _report(exc.message, exc.kind, exc.exit_code, as_json, exc, exc.to_dict())
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (gwcalc … | head): not an error
            code = 0
        except Exception as exc:  # a bug: still no traceback for users, unless they ask
            if os.environ.get("GWCALC_DEBUG"):
                raise
            message = f"internal error ({type(exc).__name__}: {exc}); rerun with GWCALC_DEBUG=1"
            code = _report(message, "internal", EXIT_ERROR, as_json, exc)
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _report(
    message: str,
    kind: str,
    code: int,
    as_json: bool,
    exc: BaseException | None,
    detail: dict[str, str] | None = None,
) -> int:
    hint = getattr(exc, "hint", None)
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        hint = f"see '{exc.ctx.command_path} --help'"
    click.echo(f"Error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    if as_json:
        import json

        payload = detail or {"type": kind, "message": message, **({"hint": hint} if hint else {})}
        click.echo(json.dumps({"error": payload}, ensure_ascii=False))
    return code
