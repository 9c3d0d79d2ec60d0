"""Charts as images, made offline by vl-convert (its bundled Vega) with the shipped DejaVu
fonts, so Vietnamese diacritics render in one typeface without any system font."""

from __future__ import annotations

import copy
import re
import threading
from typing import Any

from ui.exports import FONT_DIR

CHART_FONT = "DejaVu Sans"  # the family name of the shipped font
CHART_WIDTH = 900  # px: exported charts replace width="container" with this

_fonts_lock = threading.Lock()
_fonts_registered = False


def _ensure_fonts() -> None:
    """Register ui/fonts/ with vl-convert once per process."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if not _fonts_registered:
            import vl_convert

            vl_convert.register_font_directory(str(FONT_DIR))
            _fonts_registered = True


def _fixed_size(spec: Any, width: int, height: int | None) -> Any:
    """Replace width/height "container" (anywhere in the spec) with fixed pixels."""
    if isinstance(spec, dict):
        out = {}
        for key, value in spec.items():
            if key == "width" and value == "container":
                out[key] = width
            elif key == "height" and value == "container":
                out[key] = height or 420
            elif key in ("data", "datasets"):
                out[key] = value
            else:
                out[key] = _fixed_size(value, width, height)
        return out
    if isinstance(spec, list):
        return [_fixed_size(v, width, height) for v in spec]
    return spec


def chart_spec(chart: Any, width: int = CHART_WIDTH, height: int | None = None) -> dict:
    """The chart's Vega-Lite spec ready for offline export: a fixed size, the shipped font for
    every text and legend labels long enough for the sector names. The chart is not changed."""
    spec = _fixed_size(chart.to_dict() if hasattr(chart, "to_dict") else copy.deepcopy(chart), width, height)
    if height is not None and isinstance(spec.get("height"), (int, float)):
        spec["height"] = height
    config = dict(spec.get("config") or {})
    config["font"] = CHART_FONT
    legend = dict(config.get("legend") or {})
    legend.setdefault("labelLimit", 320)
    config["legend"] = legend
    spec["config"] = config
    spec.setdefault("background", "white")
    return spec


def chart_png(chart: Any, scale: float = 2, width: int = CHART_WIDTH, height: int | None = None) -> bytes:
    """The chart as a PNG image."""
    import vl_convert

    _ensure_fonts()
    return bytes(vl_convert.vegalite_to_png(chart_spec(chart, width, height), scale=scale))


def chart_svg(chart: Any, width: int = CHART_WIDTH, height: int | None = None) -> bytes:
    """The chart as SVG (text kept as text, font family DejaVu Sans)."""
    import vl_convert

    _ensure_fonts()
    return vl_convert.vegalite_to_svg(chart_spec(chart, width, height)).encode("utf-8")


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header (IHDR)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def chart_size(chart: Any, width: int = CHART_WIDTH, height: int | None = None) -> tuple[float, float]:
    """The whole chart's width and height in CSS pixels (title, axes and legend included)."""
    svg = chart_svg(chart, width, height)
    match = re.search(rb'<svg[^>]*?\swidth="([0-9.]+)"[^>]*?\sheight="([0-9.]+)"', svg)
    if match is None:
        raise ValueError("vl-convert gave an SVG without a size")
    return float(match.group(1)), float(match.group(2))
