"""Untrusted text made safe for Streamlit's markdown elements (``st.markdown``, ``st.error``...).

Streamlit does not render raw HTML in markdown, but markdown itself can still turn a value
from a file or a link into a link, an image or a heading. Every markdown character is escaped.

>>> md_text("[click](javascript:alert(1)) <b>")
'\\\\[click\\\\]\\\\(javascript:alert\\\\(1\\\\)\\\\) \\\\<b\\\\>'
"""

from __future__ import annotations

import pandas as pd

__all__ = ["md_text"]

_MARKDOWN_CHARS = "\\`*_{}[]()#+-.!|<>~$"


def md_text(value: object) -> str:
    """Return ``value`` as text with every markdown and HTML character backslash-escaped.

    Missing values (``None``, ``NaN``, ``NaT``) become an empty string.
    """
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    for char in _MARKDOWN_CHARS:
        text = text.replace(char, "\\" + char)
    return text
