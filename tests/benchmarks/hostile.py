"""Hostile input, measured: CPU for every hostile upload, peak memory for the worst plan.

    .venv/bin/python tests/benchmarks/bench.py --hostile

- Uploads: each file of tests/hostile/make_hostile.py through `plan_with_upload` (what the
  server runs for an upload), CPU time of this process, and the problem it gives; then the
  worst one through the app (AppTest: the upload's rerun included). Target < 5 s.
- The papers (PDF) of the plan with the most text a user can upload: 40 sectors, names at
  their 60-character limit, notes at the 2,000-character cell limit. CPU of the second
  drawing (the first loads fonts and chart code). Target < 5 s.
- The worst plan a user can make: 40 sectors (the limit) and an actual for every sector and
  year to the horizon, long notes, uploaded on the Data page; then 50,000 simulated paths
  from the plan's base year on the Overview and Risk pages. Peak memory (ru_maxrss) of a
  fresh process doing only that. Target < 1 GB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_CPU_S = 5.0
TARGET_PEAK_MB = 1024.0


def row(name: str, value: float, note: str, target: str) -> None:
    print(f"{name:<44} {value:>9.2f}   {note:<28} {target}")


def upload_cpu() -> None:
    sys.path.insert(0, str(ROOT))
    import model
    from model.upload import plan_with_upload
    from tests.hostile import make_hostile as hostile

    plan = model.load_plan()
    worst = ("", 0.0, b"")
    for name, make in hostile.UPLOADS.items():
        data = make()
        start = time.process_time()
        _, problems = plan_with_upload(plan, name, data)
        cpu = time.process_time() - start
        row(f"upload {name}, CPU s", cpu, f"{len(data) / 1024:,.0f} KB: {problems[0].code if problems else 'ok'}", "")
        if cpu > worst[1]:
            worst = (name, cpu, data)
    cpu = _through_the_app(*worst[::2])
    row(
        f"worst upload through the app ({worst[0]}), CPU s",
        cpu,
        "AppTest, rerun included",
        f"target < {TARGET_CPU_S:g} s",
    )


def _through_the_app(name: str, data: bytes) -> float:
    from streamlit.testing.v1 import AppTest

    os.environ.setdefault("EXPORT_PLANNER_DB", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("views/data.py").run()
    start = time.process_time()
    at.get("file_uploader")[0].upload(name, data, "application/octet-stream").run()
    return time.process_time() - start


WORST_PLAN = r"""
import json, resource, sys, tempfile, os
sys.path.insert(0, sys.argv[1])
os.environ["EXPORT_PLANNER_DB"] = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
import model
from model.plan import HORIZON_LIMIT, MAX_SECTORS
from streamlit.testing.v1 import AppTest
plan = model.load_plan()
note = "Ghi chú dài: " + "số liệu ước tính theo báo cáo của Sở " * 8
sectors = "id,name_vi,name_en,base_musd,growth_pct,volatility_pp,base_note\n" + "".join(
    f"s{i},Ngành {i},Sector {i},{100 + i},{5 + i % 7},{3 + i % 5},{note}\n" for i in range(MAX_SECTORS))
years = range(plan.base_year, HORIZON_LIMIT + 1)
actuals = "year,sector,value_musd,status,note\n" + "".join(
    f"{y},{s},{1000 + y - plan.base_year},estimate,{note[:60]}\n" for y in years for s in ["total"] + [f"s{i}" for i in range(MAX_SECTORS)])
at = AppTest.from_file(os.path.join(sys.argv[1], "app.py"), default_timeout=300).run()
at.switch_page("views/data.py").run()
at.get("file_uploader")[0].upload("a.csv", b"year,value_musd\n", "text/csv").run()  # warm the uploader
at.get("file_uploader")[0].upload("sectors.csv", sectors.encode(), "text/csv").run()
at.get("file_uploader")[0].upload("actuals.csv", actuals.encode(), "text/csv").run()
ok = [s.value for s in at.success] and not at.error
at.slider(key="n").set_value(50_000).run()
at.switch_page("views/overview.py").run()
at.switch_page("views/risk.py").run()
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "applied": ok,
                  "sectors": sum(1 for s in at.sidebar.slider if s.key.startswith("g.")), "exception": [str(e.value) for e in at.exception]}))
"""


def worst_plan_memory() -> None:
    out = subprocess.run([sys.executable, "-c", WORST_PLAN, str(ROOT)], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        print(out.stderr[-2000:])
        return
    result = json.loads(out.stdout.strip().splitlines()[-1])
    note = f"{result['sectors']} sectors, applied: {bool(result['applied'])}"
    if result["exception"]:
        note += f"; exception: {result['exception'][0][:60]}"
    row("worst plan, 50,000 paths: peak RSS, MB", result["peak_mb"], note, f"target < {TARGET_PEAK_MB:g} MB")


def longest_papers() -> None:
    """The one-page brief and the comparison of four on the plan with the most text a user can
    upload: every sector's name and English name at their limit, every note at the cell limit."""
    import dataclasses
    import datetime as dt

    import pandas as pd

    import model
    from model.plan import MAX_SECTOR_NAME_CHARS, MAX_SECTORS, MAX_TEXT_CHARS, sectors_from_frame
    from ui.exports.brief import BriefItem, brief_pdf, comparison_brief_pdf

    def text(word: str, i: int, size: int) -> str:
        return (f"{i} " + word * size)[:size]

    rows = [{"id": f"s{i}", "name_vi": text("Tên ngành ", i, MAX_SECTOR_NAME_CHARS),
             "name_en": text("Sector name ", i, MAX_SECTOR_NAME_CHARS), "base_musd": 40.0, "growth_pct": 10.0,
             **{f"{part}_note": text("ghi chú ", i, MAX_TEXT_CHARS) for part in ("base", "growth", "volatility")}}
            for i in range(MAX_SECTORS)]  # fmt: skip
    sectors, problems = sectors_from_frame(pd.DataFrame(rows))
    assert not problems, problems
    plan = dataclasses.replace(model.load_plan(), sectors=sectors, presets=())
    items = []
    for k in range(4):
        sc = model.Scenario.default(plan).with_uplift(k)
        risk = model.simulate(plan, sc, n=sc.n, seed=sc.seed)
        items.append(BriefItem(plan, sc, model.project(plan, sc), risk, "dữ liệu thử", f"Phương án {k}"))
    today = dt.date(2026, 11, 28)
    for name, make in (("brief", lambda: brief_pdf(items[0], "vi", "http://x/?a=1", today)),
                       ("comparison of 4", lambda: comparison_brief_pdf(items, "vi", "http://x/", today))):  # fmt: skip
        make()  # fonts and chart code loaded
        start = time.process_time()
        make()
        row(f"PDF {name}, longest text, CPU s", time.process_time() - start,
            f"{MAX_SECTORS} sectors", f"target < {TARGET_CPU_S:g} s")  # fmt: skip


def main() -> None:
    print(f"{'measure':<44} {'value':>9}   {'what':<28} target")
    upload_cpu()
    longest_papers()
    worst_plan_memory()


if __name__ == "__main__":
    main()
