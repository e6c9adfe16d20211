"""gwcalc's own grammar for what users type: a quantity ('6 GW', '$20B/GW') or a unit ('gpu/GW').

QUANTITY  := [sign] ['$'] NUMBER [SCALE] [UNIT_TAIL]
NUMBER    := digits ['.' digits] | '.' digits, then an optional exponent (e/E, sign, digits)
SCALE     := k K M B bn T tn, or the words thousand, million, billion, trillion (any case), not
             followed by a letter ('500k', '20 B USD', '2 million gpu'; '6 MW' is mega-W)
UNIT_EXPR := FACTOR (('*' | '/') FACTOR)*, read left to right: 'a/b/c' is a/(b*c)
FACTOR    := NAME | '%' | '(' UNIT_EXPR ')'   ('$' too, in a unit on its own)
NAME      := an ASCII letter or '_', then letters, digits or '_' ('GW', 'USD_all_in', 'TWh')
UNIT_TAIL := UNIT_EXPR, or '/' or '*' then UNIT_EXPR ('6 /GW', '$20B/GW': '$' is the first unit)
UNIT      := UNIT_EXPR | '1' '/' UNIT_EXPR | 'dimensionless'   (spaces allowed between)

No separators inside a number, no powers, no units side by side without '*': anything else is
refused with the character and its position. Names are only checked for syntax here; the
registry (gwcalc.units.registry) says which names exist.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from gwcalc.errors import QuantityError, UnitError

MAX_INPUT_CHARS = 200
SCALES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9, "T": 1e12, "tn": 1e12}
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# a scale as the regular expressions below read it (the words in any case: 'Million', 'BILLION')
_SCALE = r"(?:bn|tn|[kKMBT]|(?i:thousand|million|billion|trillion))"
SPACE = " \t"  # inside the text; the ends are stripped of line breaks too
ENDS = " \t\r\n"
DIGITS = frozenset("0123456789")

QUANTITY_HINT = "write one number and a unit, e.g. '6 GW', '500k gpu/GW' or '$20B'"
SEPARATOR_HINT = (
    "write a number without separators, e.g. '1000 GW' or '1k GW' (and '1.5 GW', not '1,5 GW')"
)
_SIDE_BY_SIDE_HINT = "join units with '*' or '/', e.g. 'GW*h' or 'USD/GW'"
POWER_HINT = "write units as products and ratios, e.g. 'gpu/GW' or 'GW/yr/yr'"
UNIT_HINT = (
    "known units: wafer; gpu (a package); die; W, kW, MW, GW, TW (IT power); W_facility, "
    "MW_facility, GW_facility (facility power); Wh, GWh, TWh; USD or $ (hardware-only dollars); "
    "USD_all_in (all-in dollars); USD_contract (contract dollars); USD_equity (investment "
    "dollars); USD_revenue (revenue dollars); USD_nominal (nominal dollars); s, h, day, week, "
    "month, quarter, year; %; joined by '*' and '/'. Numbers may carry k, M, B (billion) or T "
    "(trillion), or those words: '500k gpu/GW', '$20B', '2 million gpu'"
)

RANGES_HINT = (
    "a range LOW..HIGH is read where a quantity or a figure is sampled (see the command's "
    "help); here give one quantity"
)

_HEAD = re.compile(
    r"(?P<sign>[+-])?[ \t]*(?P<dollar>\$)?[ \t]*"
    r"(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"(?:[ \t]*(?P<scale>" + _SCALE + r")(?![A-Za-z_]))?"
)
UNIT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a unit's name (and a chip's, read as one)
_NOT_FINITE = re.compile(r"(?i)nan|inf")

# The common shape of a quantity, '6 GW', '-2.5e3 wafer/month', '500k gpu/GW', read in one match:
# a number, maybe a scale, at least one space, then names joined by '*' or '/'. What it matches
# read_quantity reads the same (the first name must not be a scale: '6 k/GW' is 6000 /GW).
_COMMON = re.compile(
    r"(?P<sign>[+-]?)(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"(?P<scale>" + _SCALE + r")?[ \t]+"
    r"(?P<unit>(?!" + _SCALE + r"(?![A-Za-z_]))[A-Za-z_][A-Za-z0-9_]*"
    r"(?:[ \t]*[*/][ \t]*[A-Za-z_][A-Za-z0-9_]*)*)"
)

# A unit as written: each name (or '%', '$') with its position in the text and its exponent.
Factors = tuple[tuple[str, int, int], ...]


class ParsedQuantity(NamedTuple):
    """A quantity as read: its value (sign × number × scale) and the units written, if any."""

    value: float
    factors: Factors  # '$' before the number is the factor ('$', position, 1); () if no unit


class _Refusal(Exception):
    """Why text does not fit the grammar, at a position (0-based) in the text parsed."""

    def __init__(self, position: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.position, self.message, self.hint = position, message, hint


def scale_factor(scale: str) -> float:
    """The factor of a scale as written: 'k' 1e3, 'B' 1e9, 'Million' 1e6."""
    return SCALES.get(scale) or SCALE_WORDS[scale.lower()]


def _check_length(text: str, what: str, error: type[QuantityError | UnitError]) -> str:
    stripped = text.strip(ENDS)
    if not stripped:
        raise error(f"empty {what}", "write a number with a unit, e.g. '6 GW'")
    if len(stripped) > MAX_INPUT_CHARS:
        raise error(f"{what} is longer than {MAX_INPUT_CHARS} characters")
    return stripped


def read_quantity(text: str) -> ParsedQuantity:
    """Read a quantity by the grammar above; QuantityError says what is wrong and where."""
    text = _check_length(text, "quantity", QuantityError)
    try:
        return _read_quantity(text)
    except _Refusal as exc:
        if ".." in text:  # 'LOW..HIGH' where one quantity is read
            raise QuantityError(
                f"{text.strip()!r} is a range, where one quantity is read", RANGES_HINT
            ) from None
        raise QuantityError(
            f"cannot read {text!r}: {exc.message} (at character {exc.position + 1})", exc.hint
        ) from None


SPAN_LIMIT = 1000.0  # a range whose ends, as written, are this many times apart is suspect


def range_scale_refusal(low_text: str, high_text: str) -> QuantityError | None:
    """Why a range's ends may not be read as written, or None. One end with a scale (k, M, B, T
    or a word) and the other a bare number, without scale or unit, is refused when, as written,
    the ends are reversed or 1,000 times apart or more ('1..2T', '330k..478', '$1..$2T'): the
    bare end most likely lacks the scale, and guessing would move a figure by orders of
    magnitude. Written in full it is read as written ('800k..900000', '38B..50e9')."""
    heads = [_HEAD.match(end.strip(ENDS)) for end in (low_text, high_text)]
    if heads[0] is None or heads[1] is None:
        return None  # not numbers: the reader of each end says what is wrong
    low_scale, high_scale = heads[0].group("scale"), heads[1].group("scale")
    if (low_scale is None) == (high_scale is None):
        return None
    bare_at = 0 if low_scale is None else 1
    bare = (low_text, high_text)[bare_at].strip(ENDS)
    if _HEAD.fullmatch(bare) is None:  # the bare end has its own unit ('1 GW..2k GW')
        return None
    low, high = (_head_value(h) for h in heads)
    if low == 0 or (0 < low <= high and high / low < SPAN_LIMIT):  # '0..60B', '800k..900000'
        return None
    scale = str(low_scale or high_scale)
    space = " " if scale.lower() in SCALE_WORDS else ""
    ends = [low_text.strip(ENDS), high_text.strip(ENDS)]
    written = "..".join(ends)
    ends[bare_at] = f"{bare}{space}{scale}"
    scaled = [_head_value(_HEAD.match(e)) for e in ends]
    reading = f" ({'..'.join(ends)}?)" if 0 < scaled[0] <= scaled[1] else ""
    as_written = "reversed" if high < low else f"{high / low:,.0f} times apart"
    return QuantityError(
        f"'{written}': one end has a scale ({scale}) and the other ({bare}) has none; as "
        f"written, the ends are {as_written}",
        f"write the scale on both ends{reading}, or both ends in full",
    )


def _head_value(found: re.Match[str] | None) -> float:
    """The number × scale a quantity's head reads (its sign too; 0 if there is none)."""
    if found is None:
        return 0.0
    scale = found.group("scale")
    value = float(found.group("number")) * (scale_factor(scale) if scale else 1.0)
    return -value if found.group("sign") == "-" else value


def split_quantity(text: str) -> tuple[float, str] | None:
    """The fast path for streams: (value, unit text) of a quantity in the common shape ('6 GW',
    '500k gpu/GW'), exactly as read_quantity reads its value; None for anything else (then
    read_quantity says what it is, or what is wrong)."""
    stripped = text.strip(ENDS)
    found = _COMMON.fullmatch(stripped) if len(stripped) <= MAX_INPUT_CHARS else None
    if found is None:
        return None
    sign, number, scale, unit = found.groups()
    value = float(number) * scale_factor(scale) if scale else float(number)
    return (-value if sign == "-" else value), unit


def read_unit(text: str) -> Factors:
    """Read a unit by the grammar above (() for 'dimensionless'); UnitError if it does not fit."""
    text = _check_length(text, "unit", UnitError)
    if text == "dimensionless":
        return ()
    try:
        return _unit_expr(text, True, False)
    except _Refusal as exc:
        raise UnitError(
            f"cannot read {text!r} as a unit: {exc.message} (at character {exc.position + 1})",
            exc.hint,
        ) from None


def _read_quantity(text: str) -> ParsedQuantity:
    head = _HEAD.match(text)
    if head is None:
        raise _number_refusal(text)
    number, scale = head["number"], head["scale"]
    value = float(number) * (scale_factor(scale) if scale else 1.0)
    if head["sign"] == "-":
        value = -value
    end = head.end()
    _refuse_split_number(text, end)
    rest = len(text) - len(text[end:].lstrip(SPACE))
    dollar: Factors = (("$", head.start("dollar"), 1),) if head["dollar"] else ()
    if rest == len(text):
        return ParsedQuantity(value, dollar)
    if "$" in text[rest:]:
        where = text.index("$", rest)
        raise _Refusal(where, "'$' must come before the number, as in '$20B'", QUANTITY_HINT)
    if dollar and text[rest] not in "*/":
        raise _Refusal(rest, "two units side by side ('$' is the first)", _SIDE_BY_SIDE_HINT)
    try:
        factors = _unit_expr(text[rest:], False, True)
    except _Refusal as exc:
        raise _Refusal(exc.position + rest, exc.message, exc.hint) from None
    shifted = tuple((name, pos + rest, exp) for name, pos, exp in factors)
    return ParsedQuantity(value, dollar + shifted)


def _number_refusal(text: str) -> _Refusal:
    """Why text does not start with [sign] ['$'] NUMBER."""
    i = 0
    if text[i] in "+-":
        i = len(text) - len(text[1:].lstrip(SPACE))
    if i < len(text) and text[i] == "$":
        i = len(text) - len(text[i + 1 :].lstrip(SPACE))
    if i < len(text) and text[i] == "$":
        return _Refusal(i, "'$' must come before the number, as in '$20B'", QUANTITY_HINT)
    if _NOT_FINITE.match(text, i):
        return _Refusal(i, "not a finite number", "write an ordinary number, e.g. '6 GW'")
    found = repr(text[i]) if i < len(text) else "the end"
    return _Refusal(i, f"expected a number, found {found}", QUANTITY_HINT)


def _refuse_split_number(text: str, end: int) -> None:
    """Refuse a number that goes on after its end: '1,000', "1'000", '1 000', '1.2.3', '6 6'."""
    if end < len(text) and text[end] in ",'_" and text[end + 1 : end + 2] in DIGITS:
        raise _Refusal(end, f"{text[end]!r} inside a number", SEPARATOR_HINT)
    after = text[end:].lstrip(SPACE)
    if after[:1] in DIGITS or (after[:1] == "." and after[1:2] in DIGITS):
        where = len(text) - len(after)
        raise _Refusal(where, "a second number (gwcalc takes no separators)", SEPARATOR_HINT)


@lru_cache(maxsize=1024)
def _unit_expr(text: str, unit_alone: bool, after_number: bool) -> Factors:
    """The factors of a unit expression (cached: the same unit text recurs line after line)."""
    parser = _UnitParser(text, unit_alone)
    if after_number and parser.peek() in ("*", "/"):
        factors: list[tuple[str, int, int]] = []  # '6 /GW', or after '$': '$20B/GW'
        parser.rest(factors, 1)
    else:
        factors = parser.expression(1)
    parser.finish()
    return tuple(factors)


class _UnitParser:
    """Recursive descent over UNIT_EXPR; exponents are multiplied down through '/' and '()'."""

    def __init__(self, text: str, unit_alone: bool) -> None:
        self.text, self.pos, self.unit_alone = text, 0, unit_alone
        self.skip()

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in SPACE:
            self.pos += 1

    def peek(self) -> str:
        if self.text.startswith("**", self.pos):
            return "**"
        return self.text[self.pos : self.pos + 1]

    def expression(self, sign: int) -> list[tuple[str, int, int]]:
        if self.unit_alone and self.pos == 0 and self.peek() == "1":
            self.pos += 1  # '1/GW'
            self.skip()
            if self.peek() != "/":
                raise self.unexpected()
            factors: list[tuple[str, int, int]] = []
        else:
            factors = self.factor(sign)
        self.rest(factors, sign)
        return factors

    def rest(self, factors: list[tuple[str, int, int]], sign: int) -> None:
        while self.peek() in ("*", "/"):
            op = self.peek()
            self.pos += 1
            self.skip()
            factors += self.factor(sign if op == "*" else -sign)

    def factor(self, sign: int) -> list[tuple[str, int, int]]:
        start, char = self.pos, self.peek()
        if char == "(":
            self.pos += 1
            self.skip()
            inner = self.expression(sign)
            if self.peek() != ")":
                raise self.junk() if self.peek() else self.unexpected("an unclosed '('")
            self.pos += 1
            self.skip()
            return inner
        name = UNIT_NAME.match(self.text, self.pos)
        if name is not None:
            self.pos = name.end()
        elif char == "%" or (char == "$" and self.unit_alone):
            self.pos += 1
        else:
            raise self.unexpected()
        token = self.text[start : self.pos]
        self.skip()
        return [(token, start, sign)]

    def finish(self) -> None:
        if self.pos < len(self.text):
            raise self.junk()

    def junk(self) -> _Refusal:
        """What follows a complete unit: another unit without '*', or a stray character."""
        char = self.peek()
        if UNIT_NAME.match(char) or char in ("%", "(", "$"):
            return _Refusal(self.pos, "two units side by side", _SIDE_BY_SIDE_HINT)
        return self.unexpected()

    def unexpected(self, what: str | None = None) -> _Refusal:
        char = self.peek()
        if char in ("**", "^"):
            return _Refusal(
                self.pos, f"a power ({char!r}), which gwcalc does not accept", POWER_HINT
            )
        hint = UNIT_HINT if self.unit_alone else QUANTITY_HINT
        if what is None:
            what = f"unexpected {char!r}" if char else "a unit is missing at the end"
        return _Refusal(self.pos, what, hint)
