"""Every JSON document gwcalc writes validates against its schema in docs/schemas/ (draft
2020-12), names it in "schema", and every command that writes JSON has one; deals, flows and
parties carry ASCII ids, which --party, --flow and --buyer accept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from jsonschema import Draft202012Validator

from gwcalc.cli import cli
from gwcalc.sets.ids import ascii_id, id_clashes
from tests.helpers import invoke, json_output, strict_json
from tests.json_cases import CASES, WARRANT

SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "schemas"


def schema(name: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def document(case: str, folder: Path) -> dict[str, Any]:
    args = tuple(str(folder / "new.toml") if a == "NEW_SET" else a for a in CASES[case])
    result = invoke(*args, "--json")
    assert result.exit_code == (1 if case.startswith("error") else 0), result.stderr
    return dict(strict_json(result.stdout))


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_document_validates_against_its_schema(case: str, tmp_path: Path) -> None:
    doc = document(case, tmp_path)
    Draft202012Validator(schema(doc["schema"])).validate(doc)
    assert doc["format_version"] == 2


@pytest.mark.parametrize("case", ["gap", "timeline-buyer", "flows-party", "diff-timeline"])
def test_jsonl_is_the_same_document_on_one_line(case: str) -> None:
    result = invoke(*CASES[case], "--format", "jsonl")
    assert result.stdout.count("\n") == 1 and result.stderr == ""
    assert strict_json(result.stdout) == json_output(invoke(*CASES[case], "--json"))


def test_convert_json_lines_validate_line_by_line() -> None:
    result = invoke("convert", "6 GW", "7 GW", "--to", "gpu", "--json")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and result.stderr == ""
    for line in lines:
        doc = strict_json(line)
        Draft202012Validator(schema(doc["schema"])).validate(doc)


def test_a_renamed_or_dropped_key_fails_validation(tmp_path: Path) -> None:
    doc = document("diff", tmp_path)
    validator = Draft202012Validator(schema(doc["schema"]))
    item = doc["output_changes"]["gap"]["attribution"][0]
    renamed = {**item, "parameter": item.pop("inputs")}
    doc["output_changes"]["gap"]["attribution"][0] = renamed
    assert not validator.is_valid(doc)
    dropped = document("gap", tmp_path)
    del dropped["demand_source"]
    assert not Draft202012Validator(schema(dropped["schema"])).is_valid(dropped)


def test_every_schema_file_is_a_valid_schema_and_used() -> None:
    files = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    for name in files:
        Draft202012Validator.check_schema(schema(name))
        assert schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema(name)["properties"]["schema"] == {"const": name}
    assert len(files) == 16  # one a document: test_every_json_command_has_a_case_and_a_schema


def _json_commands(group: click.Group, prefix: str = "") -> list[str]:
    """Every command that takes --json."""
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += _json_commands(command, f"{prefix}{name} ")
        elif any("--json" in p.opts for p in command.params if isinstance(p, click.Option)):
            out.append(prefix + name)
    return out


def test_every_json_command_has_a_case_and_a_schema() -> None:
    covered = {
        " ".join(args[:2]) if args[0] == "assumptions" else args[0] for args in CASES.values()
    }
    commands = _json_commands(cli)
    assert commands and set(commands) <= covered
    for command in commands:
        assert (SCHEMAS / f"{command.replace(' ', '-')}.schema.json").exists(), command


def test_ascii_ids() -> None:
    assert ascii_id("NVIDIA–OpenAI") == "NVIDIA-OpenAI"
    assert ascii_id("Alphabet capex 2028—2030") == "Alphabet capex 2028-2030"
    assert ascii_id("Nestlé × Crédit") == "Nestle x Credit"
    assert ascii_id("OpenAI") == "OpenAI"
    assert id_clashes(["A–B", "A-B", "C"]) == [("A–B", "A-B")]


def test_deals_and_flows_carry_ids(tmp_path: Path) -> None:
    timeline = document("timeline", tmp_path)
    deal = next(d for d in timeline["deals"] if d["name"] == "NVIDIA–OpenAI")
    assert deal["id"] == "NVIDIA-OpenAI"
    assert all(d["id"].isascii() for d in timeline["deals"])
    flows = document("flows", tmp_path)
    assert all(f["id"] == ascii_id(f["name"]) and f["id"].isascii() for f in flows["flows"])
    assert all(p["id"] == p["party"] for p in flows["parties"])  # the parties' names are ASCII
    shown = document("assumptions-show-market", tmp_path)
    assert [d["id"] for d in shown["deals"]] == [ascii_id(d["name"]) for d in shown["deals"]]
    assert "NVIDIA-OpenAI" in [d["id"] for d in shown["deals"]]
    assert all(f["id"] == ascii_id(f["name"]) for f in shown["flows"])


@pytest.mark.parametrize(
    ("by_name", "by_id"),
    [
        (("explain", "warrant_value", "--flow", WARRANT),
         ("explain", "warrant_value", "--flow", "AMD-OpenAI warrant")),
        (("sensitivity", "--output", "warrant_value", "--flow", WARRANT, "--samples", "100"),
         ("sensitivity", "--output", "warrant_value", "--flow", "AMD-OpenAI warrant",
          "--samples", "100")),
    ],
)  # fmt: skip
def test_options_taking_a_name_accept_its_id(
    by_name: tuple[str, ...], by_id: tuple[str, ...]
) -> None:
    a, b = invoke(*by_name, "--json"), invoke(*by_id, "--json")
    assert a.exit_code == b.exit_code == 0, b.stderr
    assert b.stderr == "" and strict_json(a.stdout) == strict_json(b.stdout)


@pytest.mark.parametrize("command", [("flows", "--party"), ("timeline", "--buyer")])
def test_a_party_is_named_by_its_id(command: tuple[str, ...], tmp_path: Path) -> None:
    """A party whose name is not ASCII ('Open–AI', in a copy of market-2026)."""
    source = json_output(invoke("assumptions", "show", "market-2026", "--json"))
    body = Path(source["assumptions"]["path"]).read_text(encoding="utf-8")
    copy = tmp_path / "dashed.toml"
    copy.write_text(body.replace('= "OpenAI"', '= "Open–AI"'), encoding="utf-8")
    by_name = invoke(*command, "Open–AI", "-a", str(copy), "--json")
    by_id = invoke(*command, "Open-AI", "-a", str(copy), "--json")
    assert by_name.exit_code == by_id.exit_code == 0, by_id.stderr
    assert by_id.stderr == "" and strict_json(by_id.stdout) == strict_json(by_name.stdout)
    parties = [p["id"] for p in json_output(invoke("flows", "-a", str(copy), "--json"))["parties"]]
    assert "Open-AI" in parties


def test_check_refuses_two_names_with_one_id(tmp_path: Path) -> None:
    source = json_output(invoke("assumptions", "show", "market-2026", "--json"))
    path = Path(source["assumptions"]["path"])
    body = path.read_text(encoding="utf-8")
    clash = body.replace('name = "Amazon capex 2028–2030"', 'name = "Alphabet capex 2028-2030"')
    assert clash != body
    copy = tmp_path / "clash.toml"
    copy.write_text(clash, encoding="utf-8")
    result = invoke("assumptions", "check", str(copy), "--json")
    assert result.exit_code == 1, result.stderr
    doc = strict_json(result.stdout)
    assert doc["clean"] is False
    (finding,) = [f for f in doc["findings"] if "give one id" in f["message"]]
    assert finding["level"] == "error"
    assert finding["message"] == (
        "deals 'Alphabet capex 2028–2030' and 'Alphabet capex 2028-2030' give one id "
        "'Alphabet capex 2028-2030'"
    )


def test_quiet_keeps_the_chip_on_every_path() -> None:
    market = ("-a", "market-2026")
    one = invoke("convert", "-q", "6 GW", "--to", "Rubin", *market)
    assert (one.stdout, one.stderr) == ("1.995M Rubin\n", "")
    lower = invoke("convert", "-q", "6 GW", "--to", "rubin", *market)
    assert lower.stdout == "1.995M Rubin\n"
    many = invoke("convert", "-q", "6 GW", "7 GW", "--to", "Rubin", *market)
    assert many.stdout == "1.995M Rubin\n2.327M Rubin\n"
    piped = invoke("convert", "-q", "-", "--to", "Rubin", *market, stdin="6 GW\n")
    assert piped.stdout == "1.995M Rubin\n"
    rate = invoke("convert", "-q", "6 GW/yr", "--to", "Rubin/yr", *market)
    assert rate.stdout == "1.995M Rubin/yr\n"
    back = invoke("convert", "-q", one.stdout.strip(), "--to", "GW", *market)
    assert back.stdout == "6.001 GW_IT\n"  # 1.995M at 4 significant figures
