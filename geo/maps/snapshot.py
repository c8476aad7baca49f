"""A picture of the view: the drawn map as a PNG, made in the browser, offline.

:class:`SnapshotButton` (a map control, our own JavaScript, no plugin) draws the map's panes
onto a canvas of the map's size: same-origin tiles, every SVG overlay serialised into an image
(with its clip, e.g. the compare swipe), the point symbols (their colour, border and Font
Awesome glyph, from the locally served font), cluster counts and labels; then the legend, the
title line and the sources line; and downloads it. :class:`SnapshotCaption` gives the title
and sources of the current view (it changes with the filters, so it travels with the data
layers). ``window.faSnapshot()`` returns a promise of the canvas (tests, the benchmark).

>>> import folium
>>> m = folium.Map(tiles=None)
>>> _ = SnapshotButton().add_to(m)
>>> "faSnapshot" in m.get_root().render()
True
"""

from __future__ import annotations

from branca.element import MacroElement

from geo.maps._leaflet import Position, check_position, script_json, script_template

__all__ = ["SnapshotButton", "SnapshotCaption"]


class SnapshotCaption(MacroElement):
    """The title line and the sources line the PNG of the view carries.

    >>> SnapshotCaption(title="Control on 2024-12-03", sources="ACLED; ISW").payload_json
    '{"title":"Control on 2024-12-03","sources":"ACLED; ISW","file":"frontline-atlas"}'
    """

    _template = script_template("  window.faSnapshotCaption = {{ this.payload_json }};\n")

    def __init__(self, *, title: str, sources: str, file: str = "frontline-atlas") -> None:
        super().__init__()
        self._name = "SnapshotCaption"
        self.payload_json = script_json({"title": title, "sources": sources, "file": file})


class SnapshotButton(MacroElement):
    """A control that downloads the current view as a PNG of the map's size.

    Examples
    --------
    >>> SnapshotButton(position="topleft").position
    'topleft'
    """

    _template = script_template(
        """
  var map = {{ this._parent.get_name() }};
  function load(src) {
    return new Promise(function (ok) {
      var img = new Image();
      img.onload = function () { ok(img); };
      img.onerror = function () { ok(null); };
      img.src = src;
    });
  }
  function box(el, origin) {
    var r = el.getBoundingClientRect();
    return {x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height};
  }
  function paneClip(el, origin) {  // a pane clipped with CSS clip (the compare swipe)
    for (var p = el; p && p !== map.getContainer(); p = p.parentElement) {
      var m = /rect\\(([-\\d.]+)px,? ([-\\d.]+)px,? ([-\\d.]+)px,? ([-\\d.]+)px\\)/.exec(p.style.clip || '');
      if (m) {
        var o = p.getBoundingClientRect();
        return {x: o.left - origin.left + (+m[4]), y: o.top - origin.top + (+m[1]),
                w: (+m[2]) - (+m[4]), h: (+m[3]) - (+m[1])};
      }
    }
    return null;
  }
  function roundRect(ctx, x, y, w, h) {
    ctx.beginPath();
    ctx.rect(x, y, w, h);
  }
  function glyph(i) {
    if (!i) { return ''; }
    var c = getComputedStyle(i, '::before').content || '';
    return c.replace(/^["']|["']$/g, '');
  }
  function textLine(ctx, text, x, y, maxW) {
    var t = String(text || '');
    while (t.length > 3 && ctx.measureText(t).width > maxW) { t = t.slice(0, -2); }
    if (t !== String(text || '')) { t = t.slice(0, -1) + '…'; }
    ctx.fillText(t, x, y);
  }
  function drawSymbols(ctx, origin) {
    var c = map.getContainer();
    c.querySelectorAll('.leaflet-marker-icon').forEach(function (el) {
      var b = box(el, origin);
      if (b.w === 0 || b.x + b.w < 0 || b.y + b.h < 0 || b.x > c.clientWidth || b.y > c.clientHeight) {
        return;
      }
      var cx = b.x + b.w / 2, cy = b.y + b.h / 2;
      var badge = el.querySelector('.fa-sym-badge');
      var label = el.classList.contains('fa-label') ? el : el.querySelector('.fa-label');
      if (badge) {
        var s = getComputedStyle(badge), r = badge.getBoundingClientRect().width / 2;
        ctx.beginPath(); ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        ctx.fillStyle = s.backgroundColor; ctx.fill();
        ctx.lineWidth = 2; ctx.strokeStyle = s.borderTopColor || '#1a1a1a'; ctx.stroke();
        var g = glyph(badge.querySelector('i'));
        if (g) {
          ctx.fillStyle = s.color || '#fff';
          ctx.font = '900 ' + Math.round(r) + 'px "Font Awesome 6 Free"';
          ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
          ctx.fillText(g, cx, cy + 0.5);
        }
      } else if (el.classList.contains('marker-cluster')) {
        var inner = el.querySelector('div') || el;
        ctx.beginPath(); ctx.arc(cx, cy, b.w / 2, 0, 2 * Math.PI);
        ctx.fillStyle = getComputedStyle(el).backgroundColor; ctx.fill();
        ctx.beginPath(); ctx.arc(cx, cy, b.w / 2 - 5, 0, 2 * Math.PI);
        ctx.fillStyle = getComputedStyle(inner).backgroundColor; ctx.fill();
        ctx.fillStyle = '#000'; ctx.font = '12px system-ui, sans-serif';
        ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
        ctx.fillText(el.textContent.trim(), cx, cy);
      } else if (label && getComputedStyle(label).display !== 'none') {
        var ls = getComputedStyle(label);
        ctx.font = ls.fontWeight + ' ' + ls.fontSize + ' ' + ls.fontFamily;
        ctx.textAlign = 'left'; ctx.textBaseline = 'top';
        ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,.9)';
        var t = label.textContent;
        if (ls.textTransform === 'uppercase') { t = t.toUpperCase(); }
        ctx.strokeText(t, b.x, b.y); ctx.fillStyle = ls.color; ctx.fillText(t, b.x, b.y);
      }
    });
  }
  function drawSwipe(ctx, origin, H) {  // the compare view's swipe line and its two dates
    var bar = map.getContainer().querySelector('.fa-swipe');
    if (!bar) { return; }
    var x = box(bar, origin).x + 1.5;
    ctx.save();
    ctx.strokeStyle = '#222'; ctx.lineWidth = 3;
    ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, H); ctx.stroke();
    ctx.font = '600 12px system-ui, sans-serif'; ctx.textBaseline = 'middle';
    bar.querySelectorAll('.fa-swipe-tag').forEach(function (tag) {
      var b = box(tag, origin);
      ctx.fillStyle = 'rgba(255,255,255,.9)'; ctx.fillRect(b.x, b.y, b.w, b.h);
      ctx.fillStyle = '#111'; ctx.textAlign = 'center';
      ctx.fillText(tag.textContent, b.x + b.w / 2, b.y + b.h / 2);
    });
    ctx.restore();
  }
  function drawLegend(ctx, W, H) {
    var rows = document.querySelectorAll('.fa-legend-body > *');
    if (!rows.length) { return; }
    var lines = [];
    rows.forEach(function (el) {
      if (el.classList.contains('fa-legend-title')) { lines.push({title: el.textContent}); return; }
      var sw = el.querySelector('rect, line, .fa-sym-badge'), colour = '#888', line = false;
      if (sw && sw.classList && sw.classList.contains('fa-sym-badge')) {
        colour = getComputedStyle(sw).backgroundColor;
      } else if (sw) {
        line = sw.tagName.toLowerCase() === 'line';
        colour = sw.getAttribute(line ? 'stroke' : 'fill') || sw.getAttribute('stroke') || colour;
      }
      lines.push({label: el.textContent, colour: colour, line: line});
    });
    var lh = 15, w = Math.min(250, W * 0.4), maxLines = Math.floor((H * 0.7) / lh);
    lines = lines.slice(0, maxLines);
    var h = lines.length * lh + 10, x = W - w - 10, y = H - h - 24;
    ctx.fillStyle = 'rgba(255,255,255,.93)'; roundRect(ctx, x, y, w, h); ctx.fill();
    ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
    lines.forEach(function (l, k) {
      var ly = y + 5 + k * lh + lh / 2;
      if (l.title !== undefined) {
        ctx.font = '600 11px system-ui, sans-serif'; ctx.fillStyle = '#111';
        textLine(ctx, l.title, x + 6, ly, w - 12);
        return;
      }
      ctx.fillStyle = l.colour; ctx.strokeStyle = l.colour;
      if (l.line) { ctx.lineWidth = 3; ctx.beginPath(); ctx.moveTo(x + 6, ly); ctx.lineTo(x + 28, ly); ctx.stroke(); }
      else { ctx.globalAlpha = 0.6; ctx.fillRect(x + 6, ly - 5, 22, 10); ctx.globalAlpha = 1; }
      ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = '#111';
      textLine(ctx, l.label, x + 34, ly, w - 40);
    });
  }
  function drawCaption(ctx, W, H) {
    var cap = window.faSnapshotCaption || {title: '', sources: ''};
    ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
    ctx.font = '600 14px system-ui, sans-serif';
    var tw = Math.min(W - 20, ctx.measureText(cap.title).width + 16);
    ctx.fillStyle = 'rgba(255,255,255,.9)'; ctx.fillRect(56, 8, tw, 24);
    ctx.fillStyle = '#111'; textLine(ctx, cap.title, 64, 20, tw - 16);
    ctx.fillStyle = 'rgba(255,255,255,.9)'; ctx.fillRect(0, H - 20, W, 20);
    ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = '#333';
    textLine(ctx, 'Sources: ' + (cap.sources || 'see the events table'), 6, H - 10, W - 12);
  }
  window.faSnapshot = function () {
    var c = map.getContainer(), origin = c.getBoundingClientRect();
    var W = c.clientWidth, H = c.clientHeight;
    var canvas = document.createElement('canvas');
    canvas.width = W; canvas.height = H;
    var ctx = canvas.getContext('2d');
    ctx.fillStyle = getComputedStyle(c).backgroundColor || '#ddd';
    ctx.fillRect(0, 0, W, H);
    var jobs = [];
    c.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded').forEach(function (img) {
      if (new URL(img.src, location.href).origin !== location.origin) { return; }
      jobs.push(Promise.resolve({img: img, b: box(img, origin), clip: null}));
    });
    var panes = [].slice.call(c.querySelectorAll('.leaflet-pane svg, .leaflet-pane canvas'));
    panes.sort(function (p, q) {
      return (+getComputedStyle(p.closest('.leaflet-pane')).zIndex || 0) -
             (+getComputedStyle(q.closest('.leaflet-pane')).zIndex || 0);
    });
    panes.forEach(function (el) {
      var b = box(el, origin), clip = paneClip(el, origin);
      if (el.tagName.toLowerCase() === 'canvas') {
        jobs.push(Promise.resolve({img: el, b: b, clip: clip}));
        return;
      }
      var copy = el.cloneNode(true);
      copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      copy.setAttribute('width', String(b.w)); copy.setAttribute('height', String(b.h));
      copy.style.transform = '';
      var xml = new XMLSerializer().serializeToString(copy);
      jobs.push(load('data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml))
        .then(function (img) { return {img: img, b: b, clip: clip}; }));
    });
    return (document.fonts ? document.fonts.ready : Promise.resolve()).then(function () {
      return Promise.all(jobs);
    }).then(function (layers) {
      layers.forEach(function (l) {
        if (!l.img) { return; }
        ctx.save();
        if (l.clip) { ctx.beginPath(); ctx.rect(l.clip.x, l.clip.y, l.clip.w, l.clip.h); ctx.clip(); }
        ctx.drawImage(l.img, l.b.x, l.b.y, l.b.w, l.b.h);
        ctx.restore();
      });
      drawSymbols(ctx, origin);
      drawSwipe(ctx, origin, H);
      drawLegend(ctx, W, H);
      drawCaption(ctx, W, H);
      return canvas;
    });
  };
  faControl(map, {{ this.position|tojson }}, function () {
    var bar = faEl('div', 'leaflet-bar leaflet-control');
    var btn = faButton('fa-snapshot-btn', 'Save the view as a PNG', 'fa-camera');
    btn.onclick = function () {
      window.faSnapshot().then(function (canvas) {
        canvas.toBlob(function (blob) {
          var cap = window.faSnapshotCaption || {file: 'frontline-atlas'};
          var a = document.createElement('a');
          a.href = URL.createObjectURL(blob);
          a.download = (cap.file || 'frontline-atlas') + '.png';
          document.body.appendChild(a);
          a.click();
          setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        }, 'image/png');
      });
    };
    bar.appendChild(btn);
    return bar;
  });
""",
        control=True,
    )

    def __init__(self, *, position: Position = "topleft") -> None:
        super().__init__()
        self._name = "SnapshotButton"
        self.position = check_position(position, what="snapshot button")
        self.options_json = script_json({})
