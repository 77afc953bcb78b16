"""A map of Vietnam's provinces drawn offline, from the administrative data the project ships with.

No tiles, no shapes from the internet: vietnamadminunits (a dependency already, behind the LOC
provinces) gives the coordinates of each of the 10,035 wards of the 63 provinces before the 2025
merger, and of the island wards (Hoàng Sa, Trường Sa) after it. The land is a grid of
:data:`CELL_DEGREES` cells: a cell within :data:`REACH_DEGREES` of a ward belongs to the province
with most wards near it, which gives each province a recognisable shape, coast and borders (a
border is drawn where two neighbouring cells belong to different provinces). The 34 provinces after
the merger are the unions of their old provinces' cells.

For other pages (the programme pages): ::

    from vnfacts.publish.site.province_map import province_map_svg
    svg = province_map_svg({"Hà Nội": 12, "Bình Dương": 3}, era="after",
                           href=lambda province: f"/db/articles?province_today={province}")

or, in a template, the global ``vn_province_map(counts, era, href_prefix)`` (``href_prefix`` is a
URL the province's name is appended to, quoted). ``counts`` are keyed by province name in any
spelling (NFC/NFD, old or new tone placement, ``Thừa Thiên Huế`` or ``Huế``; names before the
merger fold into their province after it when ``era="after"``). The SVG holds one
``g.vn-province[data-province][data-count]`` per province with its shape (``path.vn-shape``) and,
when its count is not zero, a circle whose area is proportional to the count
(``circle.vn-mark``) with the count written beside it (``text.vn-mark-count``), linked to
``href(province)``.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping

from markupsafe import Markup, escape

from vnfacts.extractor.clean import canonical, fold_query
from vnfacts.publish.schema import province_rows
from vnfacts.publish.site.vietnamese import vietnamese_number

ERAS = ("after", "before")  # the 34 provinces since 1 July 2025, the 63 before
CELL_DEGREES = 0.1  # about 11 km: the narrowest part of the country (Quảng Bình, ~50 km) stays whole
REACH_DEGREES = 0.1  # wards of mountain provinces lie up to ~15 km apart; the coast grows by less
MAP_HEIGHT_PX = 640
MAX_RADIUS_PX = 26  # the largest count's circle
MIN_RADIUS_PX = 3.5  # a count of 1 stays visible
# Longitude shrinks with latitude: one scale for the whole country, taken at its middle (16° N).
X_SCALE = math.cos(math.radians(16.0))


def province_key(name: str) -> str:
    """How a province name is compared: one Unicode form and tone placement, any case."""
    return canonical(name).casefold()


@dataclass(frozen=True)
class Region:
    """A province's shape on the map: its grid cells as a path, and its centre."""
    name: str
    path: str
    centre: tuple[float, float]
    cells: int


@dataclass(frozen=True)
class Shapes:
    """The provinces of one era, their borders and the coast, in pixels."""
    era: str
    width: float
    height: float
    regions: dict[str, Region]
    borders: str  # segments between cells of two provinces
    coast: str  # segments between land and sea


def _province_names() -> tuple[dict[str, str], dict[str, str]]:
    """(any name -> the name of its shape before the merger, that name -> its province after).

    Provinces before the merger are told apart by their code: a renamed province (`Thừa Thiên
    Huế`, now `Huế`) has the row of its new name too, with the same code."""
    rows = province_rows()
    current_by_code = {code: name for name, _full, code, _today, is_current, _lat, _lon in rows if is_current}
    shape_of = {}
    for name, _full, code, _today, _is_current, _lat, _lon in rows:
        shape_of[name] = current_by_code.get(code, name)
    legacy_names = {r[0] for r in rows if r[0] == shape_of[r[0]]}
    today_of = {r[0]: r[3] for r in rows if r[0] in legacy_names}
    return shape_of, today_of


def ward_points() -> list[tuple[float, float, str]]:
    """(latitude, longitude, province before the merger) of every ward with coordinates; of each
    island district without wards (Côn Đảo, Lý Sơn, Bạch Long Vĩ, Cồn Cỏ), its centre; and of the
    island wards the data places after the merger only, east of the others (Hoàng Sa, Trường Sa:
    their province did not change)."""
    from vietnamadminunits.database import query

    shape_of, _ = _province_names()

    def located(rows, lat, lon):
        return [(r[lat], r[lon], shape_of.get(r["provinceShort"], r["provinceShort"]))
                for r in rows if r[lat] is not None and r[lon] is not None]

    points = located(query("SELECT provinceShort, wardLat, wardLon FROM admin_units_legacy"), "wardLat", "wardLon")
    points += located(query("SELECT DISTINCT provinceShort, districtLat, districtLon FROM admin_units_legacy "
                            "WHERE wardLat IS NULL"), "districtLat", "districtLon")
    east_of_legacy = max(lon for _lat, lon, _p in points) + REACH_DEGREES
    points += [p for p in located(query("SELECT provinceShort, wardLat, wardLon FROM admin_units"), "wardLat", "wardLon")
               if p[1] > east_of_legacy]
    return points


@lru_cache(maxsize=1)
def land_cells() -> tuple[dict[tuple[int, int], str], tuple[float, float]]:
    """Grid cell (column, row) -> province before the merger, and the (west, north) corner of
    the grid. A cell is land when a ward lies within :data:`REACH_DEGREES` of its centre; it
    belongs to the province with most such wards (ties: the nearest ward's)."""
    points = ward_points()
    west = min(lon for _lat, lon, _p in points) - REACH_DEGREES
    north = max(lat for lat, _lon, _p in points) + REACH_DEGREES
    buckets: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for lat, lon, province in points:
        buckets[(int((lon - west) // REACH_DEGREES), int((north - lat) // REACH_DEGREES))].append((lat, lon, province))
    reach = math.ceil(REACH_DEGREES / CELL_DEGREES)
    cells: dict[tuple[int, int], str] = {}
    candidates = {(int((lon - west) // CELL_DEGREES) + dc, int((north - lat) // CELL_DEGREES) + dr)
                  for lat, lon, _p in points for dc in range(-reach, reach + 1) for dr in range(-reach, reach + 1)}
    for col, row in candidates:
        lon, lat = west + (col + 0.5) * CELL_DEGREES, north - (row + 0.5) * CELL_DEGREES
        bc, br = int((lon - west) // REACH_DEGREES), int((north - lat) // REACH_DEGREES)
        near = [(math.hypot((plon - lon) * X_SCALE, plat - lat), province)
                for dc in (-1, 0, 1) for dr in (-1, 0, 1) for plat, plon, province in buckets.get((bc + dc, br + dr), ())]
        near = [(d, p) for d, p in near if d <= REACH_DEGREES]
        if near:
            counts = Counter(p for _d, p in near)
            top = max(counts.values())
            cells[(col, row)] = min((d, p) for d, p in near if counts[p] == top)[1]
    # A cell all of whose four neighbours are land is land (a gap between far-apart mountain
    # wards), of the province most of them belong to.
    holes = {(c + dc, r + dr) for c, r in cells for dc, dr in ((1, 0), (-1, 0), (0, 1), (0, -1))} - cells.keys()
    for col, row in sorted(holes):
        around = [cells.get(n) for n in ((col + 1, row), (col - 1, row), (col, row + 1), (col, row - 1))]
        if None not in around:
            cells[(col, row)] = Counter(around).most_common(1)[0][0]
    return cells, (west, north)


def _runs(cells: set[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Horizontal runs (row, first column, length) covering ``cells``: fewer rectangles to draw."""
    runs = []
    for row in sorted({r for _c, r in cells}):
        cols = sorted(c for c, r in cells if r == row)
        start = prev = cols[0]
        for col in cols[1:] + [None]:
            if col is not None and col == prev + 1:
                prev = col
                continue
            runs.append((row, start, prev - start + 1))
            if col is not None:
                start = prev = col
    return runs


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=len(ERAS))
def province_shapes(era: str = "after") -> Shapes:
    """The provinces of ``era`` ("before" or "after" the 2025 merger) as shapes in pixels."""
    if era not in ERAS:
        raise ValueError(f"era must be one of {', '.join(ERAS)}, not {era!r}")
    cells, _corner = land_cells()
    _, today_of = _province_names()
    owner = {cell: (today_of.get(p, p) if era == "after" else p) for cell, p in cells.items()}
    cols = [c for c, _r in owner]
    rows = [r for _c, r in owner]
    col0, row0 = min(cols), min(rows)
    cell_h = MAP_HEIGHT_PX / (max(rows) - row0 + 1)
    cell_w = cell_h * X_SCALE
    width = (max(cols) - col0 + 1) * cell_w

    def x(col: float) -> float:
        return (col - col0) * cell_w

    def y(row: float) -> float:
        return (row - row0) * cell_h

    by_province: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for cell, province in owner.items():
        by_province[province].add(cell)
    regions = {}
    for province, own in by_province.items():
        path = "".join(f"M{_fmt(x(c))} {_fmt(y(r))}h{_fmt(n * cell_w)}v{_fmt(cell_h)}h{_fmt(-n * cell_w)}z"
                       for r, c, n in _runs(own))
        centre = (x(sum(c for c, _r in own) / len(own) + 0.5), y(sum(r for _c, r in own) / len(own) + 0.5))
        regions[province] = Region(province, path, centre, len(own))
    borders, coast = [], []
    for (col, row), province in owner.items():
        for dc, dr in ((1, 0), (0, 1), (-1, 0), (0, -1)):
            other = owner.get((col + dc, row + dr))
            if other == province or (other is not None and (dc, dr) in ((-1, 0), (0, -1))):
                continue  # a border between two provinces is drawn once, from its left or upper cell
            if dc:
                segment = f"M{_fmt(x(col + (dc > 0)))} {_fmt(y(row))}v{_fmt(cell_h)}"
            else:
                segment = f"M{_fmt(x(col))} {_fmt(y(row + (dr > 0)))}h{_fmt(cell_w)}"
            (coast if other is None else borders).append(segment)
    return Shapes(era, width, MAP_HEIGHT_PX, regions, "".join(borders), "".join(coast))


@lru_cache(maxsize=len(ERAS))
def _region_index(era: str) -> dict[str, str]:
    """Any known spelling of a province (its key) -> the region of ``era`` it lies in."""
    shape_of, today_of = _province_names()
    index = {}
    for name, shape in shape_of.items():
        region = today_of.get(shape, shape) if era == "after" else shape
        index[province_key(name)] = region
        index.setdefault(fold_query(name), region)
    for region in province_shapes(era).regions:
        index.setdefault(province_key(region), region)
    return index


def region_of(name: str | None, era: str = "after") -> str | None:
    """The province of ``era`` that ``name`` (any spelling, before or after the merger) is in;
    None when it is no province."""
    if not name or not isinstance(name, str):
        return None
    index = _region_index(era)
    return index.get(province_key(name)) or index.get(fold_query(name))


def counts_by_region(counts: Mapping[str, int], era: str = "after") -> tuple[dict[str, int], int]:
    """``counts`` summed by the province of ``era`` each name is in, and the sum of the counts
    whose name is no province (none, or unknown)."""
    regions: dict[str, int] = {}
    unplaced = 0
    for name, count in counts.items():
        region = region_of(name, era)
        if region is None:
            unplaced += count
        else:
            regions[region] = regions.get(region, 0) + count
    return regions, unplaced


def mark_radius(count: int, largest: int) -> float:
    """A circle's radius: its area is proportional to the count."""
    if count <= 0 or largest <= 0:
        return 0.0
    return max(MIN_RADIUS_PX, MAX_RADIUS_PX * math.sqrt(count / largest))


def province_map_svg(counts: Mapping[str, int], era: str = "after", href: Callable[[str], str] | None = None,
                     unit: str = "", label: str = "") -> Markup:
    """The map of ``era`` with a circle for each province's count (see the module docstring).

    ``unit`` follows the count in each circle's tooltip (``bài viết``); ``label`` names the map
    for screen readers."""
    shapes = province_shapes(era)
    regions, _unplaced = counts_by_region(counts, era)
    largest = max(regions.values(), default=0)
    parts = [f'<svg class="vn-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(shapes.width)} '
             f'{_fmt(shapes.height)}" width="{_fmt(shapes.width)}" height="{_fmt(shapes.height)}" role="img" '
             f'data-era="{era}" aria-label="{escape(label)}">']
    marks = []
    for name in sorted(shapes.regions, key=province_key):
        region = shapes.regions[name]
        count = regions.get(name, 0)
        tooltip = f"{name}: {vietnamese_number(count)}{' ' + unit if unit else ''}"
        parts.append(f'<g class="vn-province{" vn-has-count" if count else ""}" data-province="{escape(name)}" '
                     f'data-count="{count}"><path class="vn-shape" d="{region.path}"><title>{escape(tooltip)}'
                     f'</title></path></g>')
        if count:
            marks.append((count, name, region, tooltip))
    parts.append(f'<path class="vn-borders" d="{shapes.borders}"/><path class="vn-coast" d="{shapes.coast}"/>')
    # Largest circles first, so that a small one next to a big one stays on top and clickable.
    for count, name, region, tooltip in sorted(marks, key=lambda m: (-m[0], province_key(m[1]))):
        cx, cy = region.centre
        r = mark_radius(count, largest)
        mark = (f'<circle class="vn-mark" data-province="{escape(name)}" data-count="{count}" cx="{_fmt(cx)}" '
                f'cy="{_fmt(cy)}" r="{_fmt(r)}"><title>{escape(tooltip)}</title></circle>'
                f'<text class="vn-mark-count" data-province="{escape(name)}" x="{_fmt(cx + r + 2)}" '
                f'y="{_fmt(cy + 4)}">{vietnamese_number(count)}</text>')
        if href is not None:
            mark = f'<a class="vn-mark-link" href="{escape(href(name))}">{mark}</a>'
        parts.append(mark)
    parts.append("</svg>")
    return Markup("".join(parts))
