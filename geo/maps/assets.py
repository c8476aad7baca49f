"""Map assets served by Frontline Atlas itself, never by public CDNs.

folium links Leaflet, jQuery, Bootstrap, Font Awesome and plugins from CDNs. Analysts in
sensitive places must not leak requests, and maps must render with no internet access, so
every such link is rewritten to files shipped by the XStatic packages on PyPI (Leaflet,
Leaflet.markercluster, Font Awesome), or dropped where nothing uses it (jQuery, Bootstrap,
awesome-markers):

- :func:`install_static` copies the files into a folder that Streamlit serves
  (``./static`` is served at ``/app/static/``);
- :func:`localize` rewrites a map's links to that folder (or any base URL);
- :func:`standalone_html` renders a map as one HTML file with every asset inlined.

Only basemap tiles come from the internet, and maps built offline have none.

>>> import folium
>>> fmap = localize(folium.Map(tiles=None), base_url="/app/static/vendor")
>>> [url for _, url in fmap.default_js][0]
'/app/static/vendor/leaflet/leaflet.js'
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element

from geo.errors import AssetError

__all__ = [
    "FLAT_LEAFLET_JS",
    "VENDOR_BASE_URL",
    "VendorFile",
    "external_urls",
    "install_static",
    "localize",
    "standalone_html",
    "vendor_files",
]

#: Where Streamlit serves the files that :func:`install_static` copies into ``./static``.
VENDOR_BASE_URL = "/app/static/vendor"


@dataclass(frozen=True)
class VendorFile:
    """One JS or CSS file shipped by an XStatic package.

    ``url_path`` is the file's path below the vendor base URL, e.g. ``leaflet/leaflet.js``.
    """

    package: str  # the xstatic.pkg module, e.g. "leaflet"
    relpath: str  # path inside the package's BASE_DIR
    url_path: str
    kind: str  # "js" or "css"

    @property
    def path(self) -> Path:
        """The file on disk, inside the installed XStatic package (or, for a ``package`` of
        the form ``dist:<module>``, inside that installed module's folder, never imported)."""
        if self.package.startswith("dist:"):
            name = self.package.removeprefix("dist:")
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                raise AssetError(
                    f"package {name!r} is not installed (pip install -r requirements.txt)"
                )
            return Path(next(iter(spec.submodule_search_locations))) / self.relpath
        try:
            module = importlib.import_module(f"xstatic.pkg.{self.package}")
        except ImportError as err:
            raise AssetError(
                f"XStatic package for {self.package!r} is not installed "
                "(pip install -r requirements.txt)"
            ) from err
        return Path(module.BASE_DIR) / self.relpath


def _vf(package: str, relpath: str, folder: str) -> VendorFile:
    kind = "css" if relpath.endswith(".css") else "js"
    return VendorFile(package, relpath, f"{folder}/{relpath}", kind)


_DRAW = "static/leaflet/draw/"

# folium's resource names -> the local files that replace them. An empty tuple drops the link:
# awesome-markers, glyphicons and the rotate CSS are not shipped and nothing of ours uses them;
# jQuery and Bootstrap are linked by folium.Map but used neither by folium's map templates nor
# by our elements, and streamlit-folium loads every script one after the other, so each
# unused one would delay the first map (about 0.3 s for the two, measured in headless Chromium).
_BY_NAME: dict[str, tuple[VendorFile, ...]] = {
    "leaflet": (_vf("leaflet", "leaflet.js", "leaflet"),),
    "leaflet_css": (_vf("leaflet", "leaflet.css", "leaflet"),),
    "awesome_markers_font_css": (
        _vf("font_awesome", "css/fontawesome.min.css", "font-awesome"),
        _vf("font_awesome", "css/solid.min.css", "font-awesome"),
        _vf("font_awesome", "css/regular.min.css", "font-awesome"),
    ),
    "markerclusterjs": (
        _vf("leaflet_markercluster", "leaflet.markercluster.js", "leaflet.markercluster"),
    ),
    "markerclustercss": (
        _vf("leaflet_markercluster", "MarkerCluster.css", "leaflet.markercluster"),
    ),
    "markerclusterdefaultcss": (
        _vf("leaflet_markercluster", "MarkerCluster.Default.css", "leaflet.markercluster"),
    ),
    # folium.plugins.Draw: Leaflet.draw as bundled by django-leaflet (requirements.txt).
    "leaflet_draw_js": (
        VendorFile("dist:leaflet", _DRAW + "leaflet.draw.js", "leaflet.draw/leaflet.draw.js", "js"),
    ),
    "leaflet_draw_css": (
        VendorFile(
            "dist:leaflet", _DRAW + "leaflet.draw.css", "leaflet.draw/leaflet.draw.css", "css"
        ),
    ),
    "jquery": (),
    "bootstrap": (),
    "bootstrap_css": (),
    "awesome_markers": (),
    "awesome_markers_css": (),
    "awesome_rotate_css": (),
    "glyphicons_css": (),
}

# Files that CSS refers to with url(...) and that must travel with it.
_EXTRA_FILES: tuple[VendorFile, ...] = (
    *(
        _vf("leaflet", f"images/{name}", "leaflet")
        for name in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png")
    ),
    _vf("leaflet", "images/marker-shadow.png", "leaflet"),
    *(
        VendorFile("dist:leaflet", f"{_DRAW}images/{name}", f"leaflet.draw/images/{name}", "img")
        for name in ("spritesheet.png", "spritesheet-2x.png", "spritesheet.svg")
    ),
    *(
        _vf("font_awesome", f"webfonts/{name}", "font-awesome")
        for name in ("fa-solid-900.woff2", "fa-regular-400.woff2")
    ),
)

_INLINE_PREFIX = "frontline-vendor:"


def vendor_files() -> tuple[VendorFile, ...]:
    """Every file :func:`install_static` copies, JS/CSS first, then fonts and images.

    >>> any(f.url_path == "leaflet/leaflet.js" for f in vendor_files())
    True
    """
    seen: dict[str, VendorFile] = {}
    for files in _BY_NAME.values():
        for vendor_file in files:
            seen.setdefault(vendor_file.url_path, vendor_file)
    for vendor_file in _EXTRA_FILES:
        seen.setdefault(vendor_file.url_path, vendor_file)
    return tuple(seen.values())


#: Below the vendor base URL: a script that, loaded before Leaflet, makes it place the map's
#: panes and markers with ``left``/``top`` instead of 3D transforms (``L_DISABLE_3D``).
FLAT_LEAFLET_JS = "frontline/leaflet-2d.js"
_FLAT_LEAFLET_SOURCE = (
    "// Loaded before Leaflet: no 3D transforms. In the dashboard, a 3D-transformed map pane\n"
    "// made the browser re-layer the whole map (about 50 ms) on every frame of a rerun.\n"
    "window.L_DISABLE_3D = true;\n"
)


def install_static(static_dir: Path | str) -> Path:
    """Copy the vendor files into ``static_dir/vendor`` and return that folder.

    Idempotent: files already there with the same size are left alone. Also writes our
    :data:`FLAT_LEAFLET_JS` there.

    >>> import tempfile
    >>> target = install_static(tempfile.mkdtemp())
    >>> (target / "leaflet" / "leaflet.js").is_file(), (target / FLAT_LEAFLET_JS).is_file()
    (True, True)
    """
    target = Path(static_dir) / "vendor"
    flat = target / FLAT_LEAFLET_JS
    if not flat.is_file() or flat.read_text(encoding="utf-8") != _FLAT_LEAFLET_SOURCE:
        flat.parent.mkdir(parents=True, exist_ok=True)
        flat.write_text(_FLAT_LEAFLET_SOURCE, encoding="utf-8")
    for vendor_file in vendor_files():
        source = vendor_file.path
        if not source.is_file():
            raise AssetError(f"missing vendor file {source} (reinstall {vendor_file.package})")
        dest = target / vendor_file.url_path
        if dest.is_file() and dest.stat().st_size == source.stat().st_size:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    return target


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def _is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def _localized(links: list[tuple[str, str]], base_url: str, owner: str) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for name, url in links:
        if name in _BY_NAME:
            result.extend(
                (f"{name}:{i}" if i else name, f"{base_url}/{vf.url_path}")
                for i, vf in enumerate(_BY_NAME[name])
            )
        elif _is_external(url):
            raise AssetError(
                f"{owner} loads {url!r} ({name!r}) from the internet and no local copy is "
                "known: add it to geo.maps.assets or do not use this element"
            )
        else:
            result.append((name, url))
    return result


def localize(fmap: folium.Map, *, base_url: str = VENDOR_BASE_URL) -> folium.Map:
    """Rewrite the JS/CSS links of ``fmap`` and all its children to local vendor files.

    Parameters
    ----------
    fmap
        The map; changed in place and returned.
    base_url
        Where the vendor folder is served, without a trailing slash.

    Raises
    ------
    AssetError
        If an element links an external script or stylesheet with no local copy.

    Examples
    --------
    >>> import folium
    >>> from folium.plugins import MarkerCluster
    >>> fmap = folium.Map(tiles=None)
    >>> _ = MarkerCluster().add_to(fmap)
    >>> external_urls(localize(fmap, base_url="/v"))
    []
    """
    base_url = base_url.rstrip("/")
    for element in _walk(fmap):
        owner = type(element).__name__
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if links:
                setattr(element, attr, _localized(list(links), base_url, owner))
    return fmap


def external_urls(fmap: folium.Map) -> list[str]:
    """The script and stylesheet URLs of ``fmap`` that point at another host.

    Tile URLs are not scripts and are not listed.

    >>> import folium
    >>> "https://code.jquery.com/jquery-3.7.1.min.js" in external_urls(folium.Map(tiles=None))
    True
    """
    return [
        url
        for element in _walk(fmap)
        for attr in ("default_js", "default_css")
        for _, url in getattr(element, attr, None) or ()
        if _is_external(url)
    ]


def _data_uri(path: Path) -> str:
    mime = {
        ".png": "image/png",
        ".woff2": "font/woff2",
        ".svg": "image/svg+xml",
    }.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


_TTF_SRC = re.compile(r',\s*url\([^)]*\.ttf\)\s*format\("truetype"\)')
_CSS_URL = re.compile(r"url\((['\"]?)(?!data:|#|https?:)([^)'\"]+)\1\)")


def _inline_css(vendor_file: VendorFile) -> str:
    css = _TTF_SRC.sub("", vendor_file.path.read_text(encoding="utf-8"))
    folder = vendor_file.path.parent

    def embed(match: re.Match[str]) -> str:
        target = (folder / match.group(2)).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return _CSS_URL.sub(embed, css)


def _by_url_path() -> dict[str, VendorFile]:
    return {vf.url_path: vf for vf in vendor_files()}


def standalone_html(fmap: folium.Map) -> str:
    """Render ``fmap`` as one self-contained HTML document.

    Leaflet, Font Awesome (with its fonts as data URIs) and
    Leaflet.markercluster are inlined, so the file opens with no internet access; only tile
    layers (if the map has any) still reach out.

    >>> import folium
    >>> html = standalone_html(folium.Map(tiles=None))
    >>> "cdn.jsdelivr.net" in html, "L.map(" in html
    (False, True)
    """
    localize(fmap, base_url=_INLINE_PREFIX)
    html = fmap.get_root().render()
    files = _by_url_path()
    pattern = re.escape(_INLINE_PREFIX) + r"/([^\"']+)"

    def script(match: re.Match[str]) -> str:
        source = files[match.group(1)].path.read_text(encoding="utf-8")
        # A literal "</script" inside inlined code would end the element early.
        return "<script>" + source.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match[str]) -> str:
        return "<style>" + _inline_css(files[match.group(1)]) + "</style>"

    html = re.sub(rf'<script src="{pattern}"></script>', script, html)
    html = re.sub(rf'<link rel="stylesheet" href="{pattern}"\s*/?>', style, html)
    if _INLINE_PREFIX in html:
        raise AssetError("a vendor link could not be inlined into the standalone map")
    return html
