"""The click group class that funnels every error into one line on stderr and an exit code."""

from __future__ import annotations

import itertools
import os
import re
import sys
from typing import Any

import click

from gwcalc.cli.output import OutputError, echo, emit_json, flush_warnings, funnel
from gwcalc.errors import OVERWRITE, RUN_OVERRIDE, RUN_RANGE, GwcalcError

# The core's words for what the CLI does with an option, and the option's words.
CLI_WORDS = {
    RUN_OVERRIDE: "add it with --set NAME=QUANTITY",
    RUN_RANGE: "for this run with --set NAME=LOW..HIGH",
    OVERWRITE: "pass --force",
}
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class JsonMode:
    """Whether this run asked for --json: set by the option's callback once click has parsed
    it, guessed from argv only when parsing itself failed."""

    flag: bool | None = None
    lines = False  # JSON Lines: an error is one more line, not an indented document

    @classmethod
    def remember(cls, ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        cls.flag = bool(value) or bool(cls.flag)
        return value

    @classmethod
    def remember_format(
        cls, ctx: click.Context, param: click.Parameter, value: str | None
    ) -> str | None:
        cls.flag = value in ("json", "jsonl") or bool(cls.flag)
        cls.lines = cls.lines or value == "jsonl"
        return value

    @classmethod
    def resolve(cls, argv: list[str]) -> bool:
        if cls.flag is not None:
            return cls.flag
        args = argv[: argv.index("--")] if "--" in argv else argv
        chosen = [b for a, b in itertools.pairwise(args) if a == "--format"]
        chosen += [a.removeprefix("--format=") for a in args if a.startswith("--format=")]
        cls.lines = "jsonl" in chosen
        return "--json" in args or any(c in ("json", "jsonl") for c in chosen)


class ErrorExit:
    """The least exit code an error gets: 2 under `diff --exit-code`, where 1 means "differs"
    (set by the option's callback)."""

    floor = EXIT_ERROR

    @classmethod
    def remember(cls, ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        if value:
            cls.floor = EXIT_USAGE
        return value


class Interrupted(GwcalcError):
    """Ctrl-C (SIGINT) while a command ran."""

    kind = "interrupted"

    def __init__(self) -> None:
        super().__init__("interrupted")
        self.exit_code = EXIT_INTERRUPTED


def refuse_repeats(command: click.Command, args: list[str], ctx: click.Context) -> None:
    """Refuse an option that takes one value given twice ('--party AMD --party NVIDIA'):
    click keeps the last and the first would be dropped without a word."""
    single: dict[str, str] = {}
    for param in command.params:
        if isinstance(param, click.Option) and not (param.multiple or param.count or param.is_flag):
            single |= dict.fromkeys(param.opts, param.opts[-1])
    given: dict[str, str] = {}
    words = iter(args)
    for word in words:
        if word == "--":
            break
        text, eq, value = word.partition("=")
        name = (
            text
            if text in single
            else next(
                (o for o in single if len(o) == 2 and word.startswith(o) and len(word) > 2), None
            )
        )
        if name is None:
            continue
        if not eq and name == word:
            value = next(words, "")
        elif not eq:
            value = word[len(name) :]
        key = single[name]
        if key in given:
            raise click.UsageError(
                f"{key} given twice ({given[key]!r} and {value!r}): it takes one value", ctx
            )
        given[key] = value


class GwcalcGroup(click.Group):
    """A click group whose errors are one line on stderr (and a JSON object with --json), and
    whose every write goes through the output funnel (gwcalc/cli/output.py)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt as exc:
            raise Interrupted from exc  # while click parsed the options

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, click.Group):
            refuse_repeats(command, rest, click.Context(command, ctx, name))
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            return 0  # a reader gone from a stream outside the funnel: not an error either
        except KeyboardInterrupt as exc:
            raise Interrupted from exc  # before click turns it into a blank line and Abort

    def main(  # type: ignore[override]  # one signature for click.Command.main's two overloads
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        JsonMode.flag, JsonMode.lines = None, False
        ErrorExit.floor = EXIT_ERROR
        flush_warnings(succeeded=False)  # none left from an earlier run in this process
        with funnel() as stdout:
            code = self._run(argv, prog_name or "gwcalc", complete_var, **extra)
            try:
                stdout.flush()
            except OutputError as exc:
                code = max(code, _report(exc.message, exc.kind, exc.exit_code, argv, exc))
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, argv: list[str], prog_name: str, complete_var: str | None, **extra: Any) -> int:
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `gwcalc`: help, as click does
            click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message(), err=True)
            return EXIT_USAGE
        except click.UsageError as exc:
            return _report(exc.format_message(), "usage", EXIT_USAGE, argv, exc)
        except click.ClickException as exc:
            return _report(exc.format_message(), "error", exc.exit_code, argv, exc)
        except click.Abort as exc:
            if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl-C while click parsed
                return _report("interrupted", "interrupted", EXIT_INTERRUPTED, argv, None)
            return _report("aborted", "aborted", EXIT_ERROR, argv, None)
        except GwcalcError as exc:
            for core, cli in CLI_WORDS.items():  # the core's words for an option, as options
                exc.hint = exc.hint.replace(core, cli) if exc.hint else exc.hint
            return _report(exc.message, exc.kind, exc.exit_code, argv, exc, exc.to_dict())
        except Exception as exc:  # a bug: still no traceback for users, unless they ask
            if os.environ.get("GWCALC_DEBUG"):
                raise
            message = f"internal error ({type(exc).__name__}: {exc}); rerun with GWCALC_DEBUG=1"
            return _report(message, "internal", EXIT_ERROR, argv, exc)
        flush_warnings(succeeded=True)
        return code if isinstance(code, int) else 0


def report_failure(exc: GwcalcError) -> GwcalcError:
    """An error that does not end the run (convert --keep-going): its lines on stderr only."""
    echo(f"Error: {exc.message}", err=True)
    if exc.hint:
        echo(f"  hint: {exc.hint}", err=True)
    return exc


def some_failed(count: int) -> click.exceptions.Exit:
    """The end of a run that went on past failures: one more line, and exit 1."""
    echo(f"Error: {count} quantit{'y' if count == 1 else 'ies'} could not be converted", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


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
    echo(f"Error: {message}", err=True)
    if hint:
        echo(f"  hint: {hint}", err=True)
    if JsonMode.resolve(argv):
        from gwcalc.report.documents import envelope

        payload = detail or {"type": kind, "message": message, **({"hint": hint} if hint else {})}
        try:
            emit_json(envelope("error", error=payload), indent=None if JsonMode.lines else 2)
        except OutputError as failure:
            echo(f"Error: {failure.message}", err=True)
    return max(code, ErrorExit.floor)
