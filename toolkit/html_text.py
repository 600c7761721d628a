"""Text from the data, made safe to show in Markdown or HTML output.

A code or a name taken from an office's tables (a unit id, a slot code, a programme, an
item text, a comment) may hold anything, including ``<script>`` or Markdown that a
notebook would render as markup. :func:`escape_md` turns such a value into Markdown that
shows exactly its characters, so a notebook can put it in ``IPython.display.Markdown``.
Tables need no helper: ``DataFrame`` output escapes its cells, and a pandas ``Styler``
escapes with ``.format(escape="html")``, ``.format_index(escape="html", axis=...)`` and,
for the index and column names, ``.format_index_names(escape="html", axis=...)``.

Examples
--------
>>> print(escape_md("<img src=x onerror=alert(1)>"))
&lt;img src=x onerror=alert\\(1\\)&gt;
"""

from __future__ import annotations

__all__ = ["escape_md"]

#: Characters written as HTML entities: markup in HTML and in Markdown alike.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
#: Characters escaped with a backslash: Markdown's own list, GFM's tables and
#: strikethrough (``|``, ``~``) and Jupyter's math (``$``).
_MARKDOWN = "\\`*_{}[]()#+-.!|~$"
_TABLE = {
    **{ord(c): "\\" + c for c in _MARKDOWN},
    **{ord(c): e for c, e in _ENTITIES.items()},
    ord("\r"): " ",
    ord("\n"): " ",
}


def escape_md(text: object) -> str:
    """Markdown that shows ``text`` literally: no HTML, no emphasis, links, lists or math.

    ``&``, ``<``, ``>`` and ``"`` become HTML entities; the characters Markdown gives a
    meaning, ``\\ ` * _ { } [ ] ( ) # + - . !``, with GFM's ``|`` and ``~`` and Jupyter's
    math ``$``, are escaped with a backslash; line breaks become spaces, so the value stays
    inside its sentence or list item. Rendered (by JupyterLab, nbconvert or any CommonMark
    renderer) it reads exactly as ``str(text)``; other characters are left as they are (a
    bare ``http://`` address may still become a link where the renderer links URLs).

    Parameters
    ----------
    text : object
        A value from the data, or a sentence built from such values; converted with ``str``.

    Returns
    -------
    str
        The escaped Markdown text.

    Examples
    --------
    >>> print(escape_md("sat_0800, *Dinas* [U01](javascript:alert(4))"))
    sat\\_0800, \\*Dinas\\* \\[U01\\]\\(javascript:alert\\(4\\)\\)
    >>> print(escape_md('"><svg onload=alert(3)>'))
    &quot;&gt;&lt;svg onload=alert\\(3\\)&gt;
    >>> escape_md(12.5)
    '12\\\\.5'
    >>> escape_md("Dinas Pendidikan – ≥ 20 JP")
    'Dinas Pendidikan – ≥ 20 JP'
    """
    return str(text).translate(_TABLE)
