"""How fast hostile input is refused: the rule YAML loader and the webhook's JSON reader.

Run: ``python benchmarks/hostile_yaml.py [--repeat 20]``

Each input from issue 11 is refused (the script fails loudly if one is accepted) and the best and
worst of ``--repeat`` runs are printed. The service's target is that none of them holds the event
loop for more than 100 ms. A valid 64 KB rule file (the most ``/rule add`` accepts) and a valid
1 MB file (the most ``dozor rules validate`` accepts) are timed too, for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.payloads import BadPayload, parse_json_object, scrub  # noqa: E402
from moderation.errors import RuleError  # noqa: E402
from moderation.rules import MAX_FILE_BYTES, MAX_RULE_BYTES, parse_rules  # noqa: E402
from tests import hostile  # noqa: E402


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), max(times)


def _refused(fn: Callable[[], object], error: type[Exception]) -> Callable[[], object]:
    def run() -> None:
        try:
            fn()
        except error:
            return
        raise SystemExit(f"accepted: {fn}")

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    laughs, deep, big = hostile.billion_laughs(), hostile.deeply_nested_yaml(), hostile.large_rule_file()
    deep_json = hostile.deeply_nested_json()
    update = json.dumps({"update_id": 1, "message": {"text": "x" * 4000, "chat": {"id": 1}}}).encode()
    dirty = json.loads(json.dumps({"message": {"text": "a\u0000b\ud800" * 1000, "from": {"name": "\ud83d"}}}))
    # The slowest bodies for the depth check that fit the webhook's 1 MB: every byte a bracket, a
    # string of escaped quotes, or empty strings (all refused; none can make json.loads recurse).
    staircase = b'{"a": [' + b"[[]" * 349_000 + b"]" * 1000 + b"]}"
    escapes = b'{"a": "' + b'\\"' * 524_000 + b"[" * 100
    quotes = b'{"a": [' + b'"",' * 349_000 + b"[" * 100
    fits = hostile.large_rule_file(MAX_RULE_BYTES - 200)
    mb = hostile.large_rule_file(MAX_FILE_BYTES - 200)
    cases: list[tuple[str, Callable[[], object], int]] = [
        (f"billion laughs, {len(laughs.encode())} B", _refused(lambda: parse_rules(laughs), RuleError), 0),
        (f"deeply nested YAML, {len(deep) // 1024} KB", _refused(lambda: parse_rules(deep), RuleError), 0),
        (f"rule file, {len(big) // 1024} KB", _refused(lambda: parse_rules(big), RuleError), 0),
        (
            f"/rule add, {len(big) // 1024} KB",
            _refused(lambda: parse_rules(big, max_bytes=MAX_RULE_BYTES), RuleError),
            0,
        ),
        (
            f"JSON nested {len(deep_json) // 2:,} deep",
            _refused(lambda: parse_json_object(deep_json, max_bytes=1 << 20), BadPayload),
            0,
        ),
        (
            f"JSON staircase, {len(staircase) // 1024} KB",
            _refused(lambda: parse_json_object(staircase, max_bytes=1 << 20), BadPayload),
            0,
        ),
        (
            f"JSON escaped quotes, {len(escapes) // 1024} KB",
            _refused(lambda: parse_json_object(escapes, max_bytes=1 << 20), BadPayload),
            0,
        ),
        (
            f"JSON empty strings, {len(quotes) // 1024} KB",
            _refused(lambda: parse_json_object(quotes, max_bytes=1 << 20), BadPayload),
            0,
        ),
        (f"valid rule file, {len(fits) // 1024} KB", lambda: parse_rules(fits), 1),
        (f"valid rule file, {len(mb) // 1024} KB", lambda: parse_rules(mb), 1),
        (f"valid update, {len(update) // 1024} KB", lambda: parse_json_object(update, max_bytes=1 << 20), 1),
        ("scrub a clean update", lambda: scrub(json.loads(update)), 1),
        ("scrub 4,000 NUL/surrogates", lambda: scrub(dirty), 1),
    ]
    print(f"{'input':<34} {'min ms':>9} {'max ms':>9}  outcome")
    for name, fn, valid in cases:
        repeat = max(1, args.repeat // 10) if "1023 KB" in name else args.repeat
        lo, hi = _time(fn, repeat)
        print(f"{name:<34} {lo:>9.2f} {hi:>9.2f}  {'accepted' if valid else 'refused'}")


if __name__ == "__main__":
    main()
