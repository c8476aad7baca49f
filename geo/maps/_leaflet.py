"""The shared pieces of our Leaflet elements: safe JSON for inline scripts, the JS helpers
every element inlines, the popup CSS, and the option checks.

>>> script = script_template("  faEl('div', 'x');").module.script(None, {})
>>> "function faEl" in script and "faButton" not in script
True
>>> check_colour("#0072b2")
'#0072b2'
"""

from __future__ import annotations

import json
import re
from typing import Literal

from folium.template import Template

__all__ = [
    "BORDER_STYLES",
    "FA_EL_JS",
    "POPUP_CSS",
    "POSITIONS",
    "Position",
    "check_colour",
    "check_glyph",
    "check_position",
    "script_json",
    "script_template",
]

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_GLYPH = re.compile(r"fa-[a-z0-9-]+")

Position = Literal["bottomright", "bottomleft", "topright", "topleft"]
"""Corner of the map a Leaflet control sits in."""
POSITIONS: tuple[str, ...] = ("bottomright", "bottomleft", "topright", "topleft")
BORDER_STYLES = ("solid", "dashed", "dotted", "double")
"""CSS border styles of a point symbol (one per source confidence class)."""

# Shared JS helpers, inlined into each element's closure (no globals, no innerHTML of data).
FA_EL_JS = """
  function faEl(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
"""
"""``faEl(tag, cls, text)``: a new element whose text is set with ``textContent`` (never HTML)."""
_JS_HELPERS = (
    FA_EL_JS
    + """
  function faCss(id, css) {
    if (document.getElementById(id)) { return; }
    var s = document.createElement('style');
    s.id = id;
    s.textContent = css;
    document.head.appendChild(s);
  }
"""
)
# Helpers of the map controls (buttons in a Leaflet bar), inlined only into controls.
_CONTROL_JS = """
  function faButton(cls, label, glyph) {
    faCss('fa-ctl-css',
          '.fa-ctl-btn{width:30px;height:30px;border:0;background:#fff;cursor:pointer;font-size:15px}');
    var btn = faEl('button', 'fa-ctl-btn ' + cls);
    btn.type = 'button';
    btn.title = label;
    btn.setAttribute('aria-label', label);
    btn.appendChild(faEl('i', 'fa-solid ' + glyph));
    return btn;
  }
  function faControl(map, position, build) {
    var ctl = L.control({position: position});
    ctl.onAdd = function () {
      var box = build();
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
    return ctl;
  }
"""

# Our CSS, injected from JS so that it also exists when streamlit-folium only runs the script
# of a feature group (it drops the header of elements added through `feature_group_to_add`).
POPUP_CSS = (
    ".fa-pop{font:13px/1.35 system-ui,sans-serif;max-width:300px}"
    ".fa-pop-title{font-weight:600;margin-bottom:4px}"
    ".fa-pop dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:1px 8px}"
    ".fa-pop dt{font-weight:600;color:#444}.fa-pop dd{margin:0;overflow-wrap:anywhere}"
    ".fa-pop a{display:inline-block;margin-top:4px}"
    ".fa-sym{background:none;border:none}"
    ".fa-sym-badge{display:flex;align-items:center;justify-content:center;width:20px;"
    "height:20px;border-radius:50%;border:2px solid #1a1a1a;color:#fff;font-size:10px;"
    "box-sizing:border-box;box-shadow:0 0 0 1px #fff}"
    ".fa-sym-inf{opacity:.6;outline:2px dashed #1a1a1a;outline-offset:1px}"
    ".fa-pop-nolink{color:#666;font-style:italic}"
    ".fa-label{background:none;border:none;white-space:nowrap;font:11px system-ui,sans-serif;"
    "color:#333;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}"
    ".fa-label-country{font-size:13px;font-weight:600;letter-spacing:.08em;color:#666;"
    "text-transform:uppercase}"
    ".fa-labels-minor-hidden .fa-label-minor{display:none}"
)


def script_template(body: str, *, control: bool = False) -> Template:
    """A folium template whose script runs ``body`` in its own closure, after the JS helpers.

    ``body`` is Jinja source (it may use ``this``). Every element shares this frame, so the
    helpers are written once: ``faEl`` (an element with ``textContent``) and ``faCss`` (a
    style sheet added once per id); with ``control=True`` also ``faButton`` (a labelled
    icon button) and ``faControl`` (a Leaflet control built by a function).
    """
    return Template(
        "\n{% macro script(this, kwargs) %}\n(function () {\n"
        + _JS_HELPERS
        + (_CONTROL_JS if control else "")
        + body
        + "})();\n{% endmacro %}\n"
    )


def script_json(obj: object) -> str:
    """Serialise ``obj`` as compact JSON that is safe inside an inline ``<script>``.

    ``<``, ``>``, ``&`` and ``'`` become ``\\u00XX`` escapes, so a string such as
    ``</script><script>alert(1)</script>`` cannot end the script element.

    >>> script_json({"d": "</script>"})
    '{"d":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def check_colour(colour: str) -> str:
    if not isinstance(colour, str) or not _HEX_COLOUR.fullmatch(colour):
        raise ValueError(f"colour must be '#rrggbb', got {colour!r}")
    return colour


def check_glyph(glyph: str) -> str:
    if not isinstance(glyph, str) or not _GLYPH.fullmatch(glyph):
        raise ValueError(f"glyph must be a Font Awesome class like 'fa-bomb', got {glyph!r}")
    return glyph


def check_position(position: str, *, what: str = "control") -> str:
    """Return ``position`` if it is a corner Leaflet knows, else raise ``ValueError``.

    >>> check_position("middle", what="legend")
    Traceback (most recent call last):
    ...
    ValueError: legend position not understood: 'middle'
    """
    if position not in POSITIONS:
        raise ValueError(f"{what} position not understood: {position!r}")
    return position
