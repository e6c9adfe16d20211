"""The JSON documents gwcalc writes, one command line each for every command and variant: the
cases tests/test_json_schemas.py validates against docs/schemas/ and tests/update_schemas.py
reads."""

from __future__ import annotations

WARRANT = "AMD–OpenAI warrant"
RANGED = ("--set", "gpus_per_gw=330k..478k")

# (case name, arguments after `gwcalc`); every case prints one document with --json
CASES: dict[str, tuple[str, ...]] = {
    "gap": ("gap",),
    "gap-samples": ("gap", "-a", "independent-2026", *RANGED, "--samples", "200"),
    "gap-demand-range": ("gap", "--demand", "40..60 GW", "--samples", "200"),
    "timeline": ("timeline",),
    "timeline-buyer": ("timeline", "--buyer", "OpenAI"),
    "timeline-indep": ("timeline", "-a", "independent-2026", "--unit", "gpu"),
    "timeline-seed": ("timeline", "-a", "seed-2025"),
    "timeline-samples": ("timeline", "-a", "independent-2026", "--samples", "200", "--to", "2028"),
    # the README's headline: a set whose demand counts every buyer, so each year has p_covered
    "timeline-market-samples": ("timeline", "--samples", "200"),
    "convert": ("convert", "6 GW", "--to", "gpu", "--to", "USD"),
    "convert-all": ("convert", "3.2M gpu", "-a", "independent-2026"),
    "convert-chip": ("convert", "2M GB300", "--to", "GW", "-a", "independent-2026"),
    "convert-range": ("convert", "1.2M..1.8M wafer/yr", "--to", "GW/yr", "--samples", "200"),
    "convert-samples": ("convert", "6 GW", "--to", "gpu", *RANGED, "--samples", "200"),
    "convert-rubin": ("convert", "6 GW", "--to", "Rubin", "-a", "market-2026"),
    "flows": ("flows",),
    "flows-party": ("flows", "--party", "NVIDIA"),
    "flows-year": ("flows", "--year", "2026"),
    "flows-samples": ("flows", "--set", "amd_share_price=164.67..600", "--samples", "200"),
    "economics": ("economics",),
    "economics-year": ("economics", "--year", "2027"),
    "economics-samples": ("economics", "--samples", "200"),
    "economics-never": ("economics", "--set", "price_per_gpu_hour=0"),
    "diff": ("diff", "seed-2025", "independent-2026"),
    "diff-convert": ("diff", "seed-2025", "independent-2026", "--convert", "6 GW", "--to", "gpu"),
    "diff-bases": ("diff", "seed-2025", "bases-2025"),
    "diff-samples": ("diff", "seed-2025", "independent-2026", "--samples", "200"),
    "diff-timeline": ("diff", "independent-2026@4", "independent-2026", "--timeline"),
    "diff-timeline-market": ("diff", "market-2026@3", "market-2026", "--timeline"),
    "diff-money": ("diff", "market-2026", "--set", "utilization=70%"),
    "diff-money-samples": ("diff", "market-2026", "--set", "utilization=70%", "--samples", "200"),
    "diff-money-versions": ("diff", "market-2026@3", "market-2026"),
    "sensitivity": ("sensitivity", "-a", "independent-2026", *RANGED),
    "sensitivity-exact": ("sensitivity", "-a", "seed-2025", *RANGED),
    "sensitivity-economics": (
        "sensitivity", "--output", "payback_years", "-a", "market-2026", "--samples", "200",
    ),
    "sensitivity-by-year": ("sensitivity", "--output", "revenue_gap", "--year", "2027",
                            "--samples", "200"),
    "sensitivity-flows": ("sensitivity", "--output", "round_trip_share", "--party", "AMD",
                          "--year", "2027", "--samples", "200"),
    "sensitivity-warrant": ("sensitivity", "--output", "warrant_value", "--flow", WARRANT,
                            "--samples", "200"),
    "explain": ("explain", "gap", "-a", "independent-2026"),
    "explain-range": ("explain", "coverage", "-a", "independent-2026", *RANGED),
    "explain-economics": ("explain", "payback_years", "-a", "market-2026"),
    "explain-by-year": ("explain", "revenue_gap", "--year", "2027", "-a", "market-2026"),
    "explain-flows": ("explain", "round_trip_share", "--party", "AMD"),
    "explain-warrant": ("explain", "warrant_value", "--flow", WARRANT),
    "assumptions-list": ("assumptions", "list"),
    "assumptions-show": ("assumptions", "show"),
    "assumptions-show-market": ("assumptions", "show", "market-2026"),
    "assumptions-show-independent": ("assumptions", "show", "independent-2026"),
    "assumptions-check": ("assumptions", "check", "independent-2026"),
    "assumptions-new": ("assumptions", "new", "NEW_SET", "--from", "seed-2025", "--set", "pue=1.2"),
    # one sample: every standard error null (none can be estimated from one draw)
    "gap-one-sample": ("gap", "-a", "independent-2026", "--samples", "1"),
    "timeline-one-sample": ("timeline", "--samples", "1"),
    "convert-one-sample": ("convert", "6 GW", "--to", "gpu", *RANGED, "--samples", "1"),
    "flows-one-sample": ("flows", "--set", "amd_share_price=164.67..600", "--samples", "1"),
    "economics-one-sample": ("economics", "--samples", "1"),
    "diff-money-one-sample": ("diff", "market-2026", "--set", "utilization=70%", "--samples", "1"),
    "error": ("convert", "6 foo"),
    "error-set": ("gap", "-a", "no-such-set"),
}  # fmt: skip
