"""Fold place-name spellings to one comparable key.

Reports spell the same place many ways: *Deir ez-Zor*, *Deir al-Zor*, *Dayr az Zawr*; *Al-Qaim*,
*El Qaim*, *Al Qa'im*; *Manbij*, *Manbidj*, *Menbiç*. :func:`normalize_name` maps such spellings
to one ASCII key by

1. transliterating to ASCII with ``anyascii`` (ISC licence) and lower-casing;
2. dropping ʿayn, hamza and apostrophes, and turning every other non-alphanumeric into a space;
3. removing the Arabic article in all its forms (``al-``, ``el-``, ``ad-``, ``ar-``, ``as-``,
   ``az-``, ``ash-``, ``at-``, ``ath-``, ``an-`` ...) when it stands as its own word;
4. folding the variant letters of English, French, German and Turkish spellings
   (``ou``/``u``, ``ei``/``ay``, ``e``/``a``, ``ee``/``i``, ``q``/``k``, ``kh``/``h``, ``dj``/``j``,
   Turkish ``c``/``j`` ...), collapsing doubled letters and ``-ah``/``-eh`` endings.

The key is a *matching* key, not a display form: it is deliberately lossy.

>>> normalize_name("Deir ez-Zor") == normalize_name("Deir al-Zour") == normalize_name("Dayr az Zor")
True
>>> normalize_name("Al-Qa'im") == normalize_name("El Qaim")
True
>>> name_keys("Abu Kamal")
('abu kamal', 'abukamal')
"""

from __future__ import annotations

import functools
import re

from anyascii import anyascii

__all__ = ["ARTICLES", "name_keys", "normalize_name", "query_keys"]

#: The Arabic definite article as it appears as a separate word in romanised names,
#: including the sun-letter assimilated forms (``ash-Sham``, ``ar-Raqqa``, ``ez-Zor``).
ARTICLES: frozenset[str] = frozenset(
    {
        "al", "el", "il", "ul", "l",
        "ad", "ed", "ar", "er", "as", "es", "az", "ez",
        "ash", "esh", "at", "et", "ath", "eth", "an", "en", "adh",
    }
)  # fmt: skip

_QUOTES = re.compile(r"['`´ʹʻʼʽʾʿˈ‘’‚‛′]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")
_VOWEL_H_END = re.compile(r"([aiu])h$")

# Letter clusters (longest first, one left-to-right pass), then single letters by
# str.translate; "ou"/"oo" need no rule of their own: o -> u and the doubled-letter collapse
# make them "u".
_CLUSTERS: dict[str, str] = {
    "dsch": "j",  # German Dsch- (Dschabal)
    "dzh": "j",  # Russian-style Manbidzh
    "sch": "s",
    "dj": "j",  # French Manbidj, Djerablous
    "sh": "s",
    "ch": "s",  # French Achrafieh = Ashrafiyah
    "kh": "h",
    "gh": "g",
    "ph": "f",
    "th": "t",
    "dh": "d",
    "zh": "j",
    "ck": "k",
    "ee": "i",  # English Qaryateen; before e -> a
}
_CLUSTER_RE = re.compile("|".join(sorted(_CLUSTERS, key=len, reverse=True)))
_LETTERS = str.maketrans(
    {
        "q": "k",
        "x": "ks",
        "c": "j",  # Turkish c is English j (Cerablus = Jarablus); ch/ck are clusters above
        "o": "u",
        "w": "u",
        "e": "a",
        "y": "i",  # with e -> a this folds ei / ay / ai / ey together
    }
)


def _cluster(match: re.Match[str]) -> str:
    return _CLUSTERS[match.group(0)]


# a/e + doubled "sun letter": the article glued and assimilated (Assukhnah, Arraqqa, Ezzor).
_GLUED_SUN_ARTICLE = re.compile(r"^[ae](sh|th|dh|[tdrzsn])\1(?=[a-z]{2})")
_GLUED_ARTICLE = re.compile(r"^(?:al|el)(?=[a-z]{3})")


def _tokens(text: str) -> list[str]:
    if not isinstance(text, str):
        raise TypeError(f"a place name must be a str, got {type(text).__name__}: {text!r}")
    ascii_text = _QUOTES.sub("", anyascii(text).lower())
    return _NON_ALNUM.sub(" ", ascii_text).split()


@functools.lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    token = _CLUSTER_RE.sub(_cluster, token).translate(_LETTERS)
    token = _DOUBLE.sub(r"\1", token)
    return _VOWEL_H_END.sub(r"\1", token) if len(token) > 2 else token


@functools.lru_cache(maxsize=4096)
def _is_article(token: str) -> bool:
    return token in ARTICLES or (len(token) <= 6 and _DOUBLE.sub(r"\1", token) in ARTICLES)


def _fold_tokens(tokens: list[str]) -> str:
    if len(tokens) > 1:
        kept = [t for t in tokens if not _is_article(t)]
        tokens = kept or tokens
    return " ".join(_fold_token(t) for t in tokens)


# Arabic script: names are folded in the script itself, then transliterated to a consonant
# skeleton under their own "x" prefix (Latin keys never contain "x": it folds to "ks"), so
# "حمص" meets GeoNames' Arabic "حمص" but never a Latin "hms".
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # harakat, dagger alif, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


def _arabic_key(text: str) -> str:
    words = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS).split()
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    skeleton = [_NON_ALNUM.sub("", anyascii(w).lower()) for w in words]
    skeleton = [w for w in skeleton if w]
    return "x" + " ".join(skeleton) if skeleton else ""


def normalize_name(text: str) -> str:
    """Return the folded matching key of a place name.

    Parameters
    ----------
    text : str
        A place name in any script or spelling.

    Returns
    -------
    str
        Lower-case ASCII words separated by single spaces; ``""`` when nothing is left.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> normalize_name("Ar-Raqqah")
    'raka'
    >>> normalize_name("Sheikh Maqsoud") == normalize_name("Sheikh Maqsud")
    True
    >>> normalize_name("دير الزور")  # Arabic script: its own "x" namespace
    'xdyr zwr'
    """
    if isinstance(text, str) and _ARABIC.search(text) and not _LATIN_LETTER.search(text):
        return _arabic_key(text)
    return _fold_tokens(_tokens(text))


def name_keys(text: str) -> tuple[str, ...]:
    """Return the keys a gazetteer name is indexed under.

    The normalised form, then the same without spaces (so *Abu Kamal* also matches *Abukamal*
    and *T-4* matches *T4*).

    Examples
    --------
    >>> name_keys("T-4")
    ('t 4', 't4')
    >>> name_keys("Homs")
    ('hums',)
    """
    key = normalize_name(text)
    compact = key.replace(" ", "")
    return (key, compact) if compact != key and compact else (key,)


def query_keys(text: str) -> tuple[str, ...]:
    """Return the keys to try, in order, when looking a query up.

    Like :func:`name_keys`, plus forms with a glued article removed (*Alqaim*, *Assukhnah*,
    *Deir Ezzor*); these are only tried after the plain keys, and never indexed.

    Examples
    --------
    >>> query_keys("Assukhnah")
    ('asuhna', 'suhna')
    >>> normalize_name("Deir ez-Zor") in query_keys("Deir Ezzor")
    True
    """
    keys = list(name_keys(text))
    if keys[0].startswith("x"):  # Arabic script (Latin keys never start with x)
        return tuple(keys)
    tokens = _tokens(text)
    stripped = [_GLUED_SUN_ARTICLE.sub(r"\1", _GLUED_ARTICLE.sub("", t)) for t in tokens]
    if stripped != tokens:
        key = _fold_tokens(stripped)
        keys.extend(k for k in (key, key.replace(" ", "")) if k)
    return tuple(dict.fromkeys(keys))
