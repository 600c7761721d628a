"""Sphinx configuration of the course book, one build per language (``course/build.py``).

The language comes from the environment variable ``COURSE_LANG`` (``id`` or ``en``) set by
the build; the notebooks are the executed editions (``nb_execution_mode = "off"``: the book
never runs code) and nothing is loaded from the network: MathJax is served from the build's
own ``_static`` folder, widgets are shown as their text, no launch buttons.
"""

from __future__ import annotations

import os
import posixpath

LANG = os.environ.get("COURSE_LANG", "en")
OTHER = "en" if LANG == "id" else "id"

project = {
    "id": "Evaluasi Pelatihan ASN: kursus",
    "en": "Evaluating ASN training: the course",
}[LANG]
author = "The ASN training-evaluation toolkit developers"
copyright = "2026, " + author
language = LANG

extensions = ["myst_nb", "sphinx_design", "sphinx_togglebutton"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # widget outputs fall back to their text: no CDN script
nb_merge_streams = True
nb_output_stderr = "remove"

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
}
html_show_sourcelink = False
html_last_updated_fmt = None
html_copy_source = False

# MathJax 2 from jupyter_server_mathjax (the copy JupyterLab serves), copied into
# _static/mathjax by the build; it carries the STIX-Web fonts only, as Jupyter configures it.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
myst_update_mathjax = False  # its setting is MathJax 3's; MathJax 2 is told below
mathjax2_config = {
    "messageStyle": "none",
    "tex2jax": {  # MyST-NB marks the page body "mathjax_ignore" and each formula "math"
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        "processEscapes": True,
        "ignoreClass": "tex2jax_ignore|mathjax_ignore|document",
        "processClass": "tex2jax_process|mathjax_process|math|output_area",
    },
    "HTML-CSS": {
        "availableFonts": [],
        "webFont": "STIX-Web",
        "imageFont": None,
        "preferredFont": None,
    },
}

_SWITCH = {
    "id": ("English version", "Switch this page to English"),
    "en": ("Versi Bahasa Indonesia", "Buka halaman ini dalam Bahasa Indonesia"),
}


def _language_switch(app, pagename, templatename, context, doctree):
    """A link to the same page in the other language, at the top of every page."""
    depth = pagename.count("/")
    href = posixpath.join(*([".."] * (depth + 1)), OTHER, pagename + ".html")
    text, title = _SWITCH[LANG]
    link = (
        f'<p class="language-switch"><a class="reference external" id="language-switch" '
        f'href="{href}" hreflang="{OTHER}" lang="{OTHER}" title="{title}">{text}</a></p>'
    )
    if "body" in context:
        context["body"] = link + context["body"]


def setup(app):
    app.connect("html-page-context", _language_switch)
