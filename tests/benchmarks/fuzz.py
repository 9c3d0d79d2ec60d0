"""Fuzzing at full size. Not a test of its own: it runs the suite's fuzz tests with every example.

    .venv/bin/python tests/benchmarks/fuzz.py          # a minute or two on a 2-core machine
    .venv/bin/python tests/benchmarks/fuzz.py -x -s    # extra arguments go to pytest

The suite runs the same tests on a small sample (a few hundred links, two per page), so that
it stays fast; here EXPORT_PLANNER_FUZZ=full gives them their full size: 10,000 generated
links through the model, 300 through the simulation and goal seek, 102 through the pages,
200 random and 200 hostile plan dicts (tests.helpers.examples).
Every failure is a bug: hypothesis prints the smallest link that shows it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FUZZ_TESTS = [
    "tests/test_fuzz_links.py",
    "tests/test_plan.py::test_any_accepted_dict_round_trips",
    "tests/test_plan.py::test_hostile_dicts_give_problems_never_exceptions",
]


def main(args: list[str]) -> int:
    env = dict(os.environ, EXPORT_PLANNER_FUZZ="full")
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", "--timeout=1800", *FUZZ_TESTS, *args]
    start = time.perf_counter()
    code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    print(f"fuzzing at full size ({', '.join(FUZZ_TESTS)}): {time.perf_counter() - start:.0f} s, exit code {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
