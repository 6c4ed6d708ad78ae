"""A relationship map as one standalone HTML page (pyvis / vis-network), readable offline.

:func:`render_network` takes what :func:`queries.neighbourhood.neighbourhood` returns and gives
HTML that the app shows in an iframe and offers as a download. The vis-network library that
pyvis ships is written into the page itself (pyvis' ``cdn_resources="in_line"`` idea, without its
CDN-loaded Bootstrap), so nothing is fetched from the internet. Inside the app, where Streamlit
serves the app's own files (``server.enableStaticServing``), a map links the library that the app
serves (:func:`map_library`) instead: the browser reads it once and keeps it, rather than 470 KB
of script in every map (the partner finder shows three). Every name and property reaches
the page as JSON escaped for HTML (``<`` becomes ``\\u003c``), and vis-network shows labels on
a canvas and tooltips as text, so a node named ``<script>…</script>`` is only text.
"""

from __future__ import annotations

import math
import os
import shutil
import textwrap
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from graph.schema import NodeKind, kind_label, relationship_verb
from queries.neighbourhood import best_acronym
from ui.colours import colour_of, group_label, group_of

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Streamlit serves the files of the folder ``static`` beside the app's main script at ``app/static/``.
STATIC = Path(__file__).resolve().parent.parent / "static"
VIS_JS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
FONT = '"Source Sans Pro", "Segoe UI", Arial, "DejaVu Sans", sans-serif'
# Sizes in canvas units: the map is zoomed to fit, so text must be large to stay readable.
FONT_SIZE = 22
EDGE_FONT_SIZE = 14
ONE_LINE_ABOVE = 12      # bigger maps get one-line labels
EDGE_LABEL_LIMIT = 30    # above this many relationships, labels show on hover only

SAMPLE_WORDS = re.compile(r"\b(mẫu|sample)\b", re.IGNORECASE)
TEXT = {
    "vi": {"entities": "{n} thực thể, {m} quan hệ", "omitted": "{k} thực thể khác không hiện để bản đồ dễ đọc",
           "hint": "Kéo để di chuyển, cuộn để phóng to, di chuột lên một điểm để xem chi tiết.",
           "sample": "Dữ liệu mẫu", "labels_hidden": "nhãn quan hệ hiện khi di chuột",
           "also": "Tên khác", "start": "điểm xuất phát"},
    "en": {"entities": "{n} entities, {m} relationships",
           "omitted": "{k} more entities left out to keep the map readable",
           "hint": "Drag to move, scroll to zoom, hover over a dot for details.",
           "sample": "Sample data", "labels_hidden": "relationship labels show on hover",
           "also": "Also", "start": "starting point"},
}


@lru_cache(maxsize=1)
def _vis_js() -> str:
    return VIS_JS.read_text(encoding="utf-8")


def map_library() -> str | None:
    """The address (relative to the app's pages) where the app serves the map library, or None
    when it does not serve its own files (then each map carries the library)."""
    import streamlit as st

    return _served_library() if st.get_option("server.enableStaticServing") else None


@lru_cache(maxsize=1)
def _served_library() -> str | None:
    """Copy pyvis' vis-network file into the served folder (made at run time from the installed
    package, not kept in the repository), once per process; None if the folder cannot be written."""
    name = f"{VIS_JS.parent.name}-{VIS_JS.name}"
    target = STATIC / name
    try:
        if not target.is_file() or target.stat().st_size != VIS_JS.stat().st_size:
            STATIC.mkdir(exist_ok=True)
            partial = target.with_name(f".{name}.{os.getpid()}")
            shutil.copyfile(VIS_JS, partial)
            os.replace(partial, target)  # a reader sees the whole file or none
    except OSError:
        return None
    return f"app/static/{name}"


@lru_cache(maxsize=1)
def _template():
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    return env.get_template("network.html")


def _name(node: dict[str, Any], language: str) -> str:
    return str(node["name_en"] if language == "en" and node.get("name_en") else node["name"])


def _node_title(node: dict[str, Any], language: str) -> str:
    text = TEXT[language]
    lines = [_name(node, language), ", ".join(kind_label(k, language) for k in node["kinds"])]
    other = [a for a in [node["name"], node.get("name_en"), *node.get("aliases", [])[:4]]
             if a and a != _name(node, language)]
    if other:
        lines.append(f"{text['also']}: {'; '.join(dict.fromkeys(other))}")
    if node.get("seed"):
        lines.append(f"({text['start']})")
    if node.get("sample"):
        lines.append(f"⚠ {text['sample']}")
    return "\n".join(lines)


def build_network(hood: dict[str, Any], language: str = "vi", *, edge_labels: bool | None = None,
                  height: int = 620) -> Network:
    """The pyvis network: colour by kind, size by importance, relationships labelled by their verb."""
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    names = {n["id"]: _name(n, language) for n in hood["nodes"]}
    lines = 1 if len(hood["nodes"]) > ONE_LINE_ABOVE else 2
    for node in hood["nodes"]:
        node = {**node, "colour": colour_of(node["kind"])}
        label = full_label(node, language, width=22 if lines == 1 else 24)
        if node.get("sample") and not SAMPLE_WORDS.search(label):
            label = f"{label} ({TEXT[language]['sample'].lower()})"
        weight = math.sqrt(max(0.0, min(1.0, float(node.get("importance", 0.0)))))
        seed, sample = bool(node.get("seed")), bool(node.get("sample"))
        border = "#111827" if seed else ("#a16207" if sample else _darker(node["colour"]))
        net.add_node(
            node["id"], label=label, shape="dot", title=_node_title(node, language),
            size=round(12 + 30 * weight + (4 if seed else 0), 1),
            font={"size": FONT_SIZE + 4 if seed else FONT_SIZE},
            borderWidth=3 if seed else (2 if sample else 1),
            shapeProperties={"borderDashes": [5, 4]} if sample else {},
            color={"background": node["colour"], "border": border,
                   "highlight": {"background": node["colour"], "border": "#111827"},
                   "hover": {"background": node["colour"], "border": "#111827"}},
        )
    merged: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in hood["edges"]:
        if edge["from"] in names and edge["to"] in names:
            merged[(edge["from"], edge["to"])].append(edge)
    # Relationships into a theme the map starts from all say "focuses on": they need no label.
    theme_seeds = {n["id"] for n in hood["nodes"] if n.get("seed") and n["kind"] == NodeKind.THEME.value}
    labelled = [pair for pair in merged if pair[1] not in theme_seeds]
    show_labels = edge_labels if edge_labels is not None else len(labelled) <= EDGE_LABEL_LIMIT
    for (source, target), rels in merged.items():
        verbs = list(dict.fromkeys(relationship_verb(r["type"], language) for r in rels))
        years = sorted({str(r["year"]) for r in rels if r.get("year")})
        title = "\n".join(
            f"{names[source]} — {relationship_verb(r['type'], language)} → {names[target]}"
            + (f" ({r['year']})" if r.get("year") else "") for r in rels)
        label = " · ".join(verbs) + (f" ({', '.join(years)})" if years else "")
        net.add_edge(source, target, title=title,
                     **({"label": label} if show_labels and target not in theme_seeds else {}))
    net.options = _options(len(hood["nodes"]))
    return net


def full_label(node: dict[str, Any], language: str, width: int = 24) -> str:
    """The acronym of the entity if it has one, else its whole name wrapped on lines (never cut)."""
    shown = _name(node, language)
    acronym = best_acronym(node.get("aliases", []), shown)
    return acronym if acronym else "\n".join(textwrap.wrap(shown, width=width, break_long_words=False)) or shown


def _darker(colour: str, factor: float = 0.75) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (red, green, blue)))


def _options(node_count: int) -> dict[str, Any]:
    small = node_count <= 20
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= 150},
        "nodes": {"shape": "dot", "font": {"face": FONT, "color": "#111827", "strokeWidth": 5,
                                           "strokeColor": "#ffffff"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {"color": "#a8b3c4", "highlight": "#1f2937", "hover": "#475569"},
            "font": {"face": FONT, "size": EDGE_FONT_SIZE, "color": "#475569", "strokeWidth": 3,
                     "strokeColor": "#ffffff", "align": "middle"},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1.1,
            "selectionWidth": 2,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -260 if small else -180, "centralGravity": 0.006,
                                 "springLength": 200 if small else 160,
                                 "springConstant": 0.08, "damping": 0.5, "avoidOverlap": 1},
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
            "minVelocity": 1.0,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True, "navigationButtons": False},
    }


def render_network(hood: dict[str, Any], language: str = "vi", *, physics: bool = False,
                   edge_labels: bool | None = None, height: int = 620, title: str = "", compact: bool = False,
                   library: str | None = None) -> str:
    """Standalone HTML of the map: legend by kind, counts, what was left out. The layout settles
    with physics, then the map stays still and overlapping labels are pushed apart, unless
    ``physics`` keeps it moving. Relationship labels show
    when ``edge_labels``, or by default when there are at most ``EDGE_LABEL_LIMIT`` (else on hover).
    ``compact`` leaves out the counts and hints (for a small map inside a page that says them).
    ``library``: where the page finds vis-network (:func:`map_library`); by default it is written
    into the page, which then needs nothing else (a download)."""
    language = language if language in TEXT else "vi"
    text = TEXT[language]
    net = build_network(hood, language, edge_labels=edge_labels, height=height)
    nodes, edges, _heading, _height, _width, _options_json = net.get_network_data()
    groups_present = list(dict.fromkeys(group_of(n["kind"]) for n in hood["nodes"]))
    legend = [{"label": group_label(g, language), "colour": g.colour} for g in groups_present]
    note = [text["entities"].format(n=len(hood["nodes"]), m=len(hood["edges"]))]
    if hood.get("omitted"):
        note.append(text["omitted"].format(k=hood["omitted"]))
    if edge_labels is None and not any("label" in e for e in edges):
        note.append(text["labels_hidden"])
    note.append(text["hint"])
    return _template().render(
        lang=language, title=title, height=height, library=library, vis_js=Markup("" if library else _vis_js()),
        nodes=nodes, edges=edges, options=net.options, physics=physics,
        legend=legend, note="" if compact else " · ".join(note),
        has_sample=any(n.get("sample") for n in hood["nodes"]), compact=compact,
        sample_label=text["sample"],
    )
