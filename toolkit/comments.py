"""Level 1 free-text comments: theme coding from an Indonesian keyword dictionary.

End-of-session surveys ask "Saran dan masukan?" (suggestions and comments). This module codes
each comment into themes (time and schedule, speaker, materials, facilities, …) with a
transparent, documented keyword dictionary, counts the themes per group with Wilson
intervals, and draws reproducible example quotes per theme.

The dictionary (:data:`THEMES`)
-------------------------------
Each theme has Indonesian and English labels and three lists:

``keywords``
    Words or phrases matched as whole words, case-insensitively, with any of the suffixes
    ``-kan``, ``-an``, ``-i`` followed optionally by ``-nya``, ``-lah``, ``-pun``,
    ``-ku``, ``-mu`` (``materi`` finds *materinya*; ``ruang`` finds *ruangan*). Words of
    a phrase may be joined by spaces, hyphens or nothing (``e-learning`` finds
    *elearning*). No prefix is added, so ``lama`` would not find *selama*.
``roots``
    Verb or adjective roots that also take the prefixes ``di-``, ``ke-``, ``ber-``,
    ``be-``, ``per-``, ``pe-``, ``ter-``, ``meN-``/``peN-`` (``me``, ``mem``, ``men``,
    ``meng``, ``pem``, ``pen``, ``peng``) and the stacks ``diper-``, ``memper-``,
    ``keber-``, ``berke-``, with the nasal assimilation of meN-/peN-: an initial *t*
    becomes *n*, *p* becomes *m*, *s* becomes *ny*, *k* becomes *ng* (root ``terap`` finds
    *menerapkan*, *penerapan*, *diterapkan*; ``selenggara`` finds *penyelenggaraan*).
``exclude``
    Word forms that never count for the theme although they match (``pelatih``, trainer,
    must not count *pelatihan*, training).

A comment may have several themes. Comments with no theme are coded ``"uncoded"`` so that
shares keep the right denominator; blank comments (no letter at all) are dropped.

Negation
--------
``negated`` is True when one of :data:`NEGATIONS` (*tidak, kurang, belum, …*) stands
within the two words before a keyword of the theme (*"materi kurang relevan"*,
*"tidak sempat"*). It marks a likely complaint; it is a hint, not a sentiment model.

Limits
------
Keyword coding misses synonyms and misspellings not in the dictionary and cannot read
irony. Check the ``keyword`` column and the ``"uncoded"`` comments (with
:func:`example_quotes`) and extend the dictionary for your programme, passing it as
``dictionary=``. Quotes can identify people: read them before publishing.

Examples
--------
>>> import pandas as pd
>>> comments = pd.DataFrame({
...     "participant_id": ["P1", "P2", "P3"], "session_id": "S1",
...     "text": ["Narasumbernya menguasai materi, tapi waktunya terlalu singkat.",
...              "Ruangan panas, AC tidak dingin", "Mantap!"]})
>>> code_themes(comments)[["participant_id", "theme", "keyword", "negated"]]
  participant_id          theme       keyword  negated
0             P1  time_schedule       waktunya    False
1             P1        speaker  narasumbernya    False
2             P1      materials        materi    False
3             P2     facilities       ruangan     True
4             P3        uncoded           NaN    False
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit.grouping import check_by, group_codes
from toolkit.intervals import wilson_interval
from toolkit.validation import as_list, check_columns, check_number

__all__ = [
    "THEMES",
    "UNCODED",
    "NEGATIONS",
    "LABELS",
    "theme_pattern",
    "code_themes",
    "theme_counts",
    "example_quotes",
]

#: Theme of a comment that matched no keyword.
UNCODED = "uncoded"

#: The keyword dictionary: theme code -> labels and Indonesian keywords (module docstring).
# fmt: off
THEMES: dict[str, dict] = {
    "time_schedule": {
        "id": "Waktu dan jadwal",
        "en": "Time and schedule",
        "keywords": (
            "waktu", "jam", "durasi", "singkat", "padat", "molor", "terlambat", "telat", "ngaret",
            "mundur", "diundur", "bentrok", "sibuk", "sempat", "terburu-buru", "buru-buru",
            "tergesa-gesa", "akhir pekan", "hari libur", "kelamaan", "terlalu lama", "fleksibel",
            "mepet",
        ),
        "roots": ("jadwal", "tunda"),
        "exclude": (),
    },
    "speaker": {
        "id": "Narasumber dan fasilitator",
        "en": "Speaker and facilitator",
        "keywords": (
            "narasumber", "narsum", "pemateri", "pembicara", "fasilitator", "instruktur",
            "pengajar", "widyaiswara", "trainer", "pelatih", "mentor", "coach", "dosen", "penyaji",
            "moderator", "penjelasan", "menjelaskan", "dijelaskan", "penyampaian", "menyampaikan",
            "disampaikan", "cara mengajar",
        ),
        "roots": (),
        "exclude": ("pelatihan", "pelatihannya"),
    },
    "materials": {
        "id": "Materi dan bahan ajar",
        "en": "Content and materials",
        "keywords": (
            "materi", "modul", "bahan ajar", "bahan bacaan", "bahan presentasi", "slide", "slides",
            "salindia", "handout", "hand out", "presentasi", "buku", "referensi", "konten",
            "kurikulum", "silabus", "topik", "pokok bahasan", "softcopy", "soft copy",
        ),
        "roots": (),
        "exclude": (),
    },
    "facilities": {
        "id": "Sarana dan fasilitas",
        "en": "Facilities",
        "keywords": (
            "fasilitas", "sarana", "prasarana", "ruang", "ruang kelas", "ac", "pendingin", "panas",
            "gerah", "dingin", "proyektor", "lcd", "sound system", "mikrofon", "mic",
            "pengeras suara", "konsumsi", "makan", "makan siang", "snack", "coffee break", "kopi",
            "kursi", "meja", "toilet", "kamar mandi", "gedung", "lokasi", "parkir", "penginapan",
            "hotel", "asrama", "tempat pelatihan", "alat tulis", "atk",
        ),
        "roots": (),
        "exclude": (),
    },
    "online_delivery": {
        "id": "Pembelajaran daring dan jaringan",
        "en": "Online delivery and connection",
        "keywords": (
            "daring", "online", "zoom", "google meet", "gmeet", "lms", "platform", "e-learning",
            "webinar", "sinyal", "koneksi", "internet", "wifi", "wi-fi", "jaringan",
            "video conference", "vicon",
        ),
        "roots": (),
        "exclude": (),
    },
    "relevance": {
        "id": "Relevansi dan manfaat bagi pekerjaan",
        "en": "Relevance and usefulness for the job",
        "keywords": (
            "relevan", "relevansi", "berguna", "aplikatif", "tupoksi", "sesuai tugas",
            "sesuai dengan tugas", "sesuai pekerjaan", "sesuai dengan pekerjaan",
            "sesuai kebutuhan", "sesuai dengan kebutuhan", "kebutuhan kerja",
            "kebutuhan organisasi", "dunia kerja", "pekerjaan sehari-hari", "tugas sehari-hari",
            "pelayanan publik", "di lapangan",
        ),
        "roots": ("manfaat", "terap"),
        "exclude": ("terapi",),
    },
    "method_practice": {
        "id": "Metode dan praktik",
        "en": "Method and practice",
        "keywords": (
            "metode", "praktikum", "latihan", "berlatih", "studi kasus", "kasus", "role play",
            "roleplay", "bermain peran", "interaktif", "kerja kelompok", "kelompok", "permainan",
            "games", "game", "ice breaking", "ceramah", "teori", "tanya jawab", "proyek",
            "kunjungan lapangan", "studi lapangan", "monoton", "kondisi nyata", "situasi nyata",
            "teoritis",
        ),
        "roots": ("praktik", "praktek", "simulasi", "diskusi", "bosan"),
        "exclude": (),
    },
    "organisation": {
        "id": "Penyelenggaraan dan administrasi",
        "en": "Organisation and administration",
        "keywords": (
            "administrasi", "undangan", "sertifikat", "absensi", "presensi", "koordinasi",
            "pengumuman", "diumumkan", "surat tugas",
        ),
        "roots": ("panitia", "selenggara", "daftar"),
        "exclude": (),
    },
    "budget_cost": {
        "id": "Anggaran dan biaya",
        "en": "Budget and cost",
        "keywords": (
            "anggaran", "honor", "honorarium", "uang saku", "uang harian", "uang transport",
            "transport", "transportasi", "akomodasi", "gratis", "mahal", "murah", "sppd",
            "perjalanan dinas",
        ),
        "roots": ("biaya", "dana"),
        "exclude": (),
    },
    "follow_up": {
        "id": "Tindak lanjut dan pelatihan lanjutan",
        "en": "Follow-up and further training",
        "keywords": (
            "tindak lanjut", "berkesinambungan", "diadakan lagi", "diadakan kembali", "rutin",
            "berkala", "pendampingan", "lebih sering", "angkatan berikutnya", "tahun depan",
            "terus diadakan", "rutin diadakan",
        ),
        "roots": ("lanjut",),
        "exclude": (),
    },
}
# fmt: on

#: Words that mark a negated mention when within two words before a keyword.
NEGATIONS = (
    "tidak", "tak", "tdk", "gak", "ga", "nggak", "enggak", "kurang", "kurangnya", "belum",
    "bukan", "tanpa", "minim",
)  # fmt: skip

#: Labels of the themes and of this module's headings (see :mod:`toolkit.i18n`).
LABELS: dict[str, dict[str, str]] = {
    **{code: {"id": t["id"], "en": t["en"]} for code, t in THEMES.items()},
    UNCODED: {"id": "Tanpa tema", "en": "No theme"},
    "theme": {"id": "Tema", "en": "Theme"},
    "comment_share": {"id": "Persentase komentar (%)", "en": "Share of comments (%)"},
}

_PREFIXES = (
    "diper", "memper", "keber", "berke", "di", "ke", "ber", "be", "per", "pe", "ter", "me",
    "mem", "men", "meng", "pem", "pen", "peng",
)  # fmt: skip
_ASSIMILATION = {"t": "n", "p": "m", "s": "ny", "k": "ng"}
_SUFFIX = r"(?:kan|an|i)?(?:nya|lah|pun|ku|mu)?"
_LETTER = r"[^\W\d_]"


def _phrase(word: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", word.strip().lower()) if p]
    return r"[\s\-]*".join(parts)


def _root_forms(root: str) -> list[str]:
    root = root.strip().lower()
    forms = [f"(?:{'|'.join(_PREFIXES)})?{re.escape(root)}"]
    if root[:1] in _ASSIMILATION and len(root) > 1 and root[1] in "aiueo":
        forms.append(f"(?:me|pe){_ASSIMILATION[root[0]]}{re.escape(root[1:])}")
    return forms


def theme_pattern(theme: Mapping, *, capture: bool = True) -> str:
    """Regular expression (for lower-cased text) that finds any keyword of one theme.

    Parameters
    ----------
    theme : mapping
        One entry of :data:`THEMES` (``keywords``, optional ``roots`` and ``exclude``).
    capture : bool, default True
        Wrap the word in one capturing group (for ``Series.str.extract``).

    Examples
    --------
    >>> pat = theme_pattern(THEMES["relevance"])
    >>> [bool(re.search(pat, w)) for w in ["diterapkan", "penerapannya", "menerapkan",
    ...                                    "bermanfaat", "terapi"]]
    [True, True, True, True, False]
    """
    alts = [_phrase(k) + _SUFFIX for k in theme.get("keywords", ())]
    for root in theme.get("roots", ()):
        alts += [form + _SUFFIX for form in _root_forms(root)]
    if not alts:
        raise ValueError("a theme needs at least one keyword or root.")
    body = "|".join(sorted(alts, key=len, reverse=True))
    body = f"({body})" if capture else f"(?:{body})"
    exclude = [_phrase(x) for x in theme.get("exclude", ())]
    guard = f"(?!(?:{'|'.join(exclude)}){_SUFFIX}\\b)" if exclude else ""
    return rf"\b{guard}{body}\b"


def _check_dictionary(dictionary: Mapping) -> None:
    if not isinstance(dictionary, Mapping) or not dictionary:
        raise ValueError("`dictionary` must be a non-empty mapping shaped like THEMES.")
    for code, theme in dictionary.items():
        missing = [k for k in ("id", "en", "keywords") if k not in theme]
        if missing:
            raise ValueError(
                f"`dictionary` entry {code!r} lacks {missing!r}; each theme needs 'id', "
                "'en' and 'keywords' (and may have 'roots' and 'exclude'), as in THEMES."
            )
        if code == UNCODED:
            raise ValueError(f"{UNCODED!r} is reserved for comments without a theme.")


def code_themes(
    comments: pd.DataFrame, *, dictionary: Mapping = THEMES, text: str = "text"
) -> pd.DataFrame:
    """Code free-text comments into themes, one row per comment and theme.

    Parameters
    ----------
    comments : DataFrame
        The ``comments`` table: ``participant_id``, ``session_id``, ``text`` (Indonesian),
        possibly with further columns (e.g. ``method`` merged from ``sessions``), which are
        carried into the output for grouping.
    dictionary : mapping, default :data:`THEMES`
        Theme code -> ``{"id", "en", "keywords", "roots", "exclude"}``.
    text : str, default "text"
        Name of the text column.

    Returns
    -------
    DataFrame
        Every column of ``comments`` except the text, then ``theme`` (categorical, in
        dictionary order, then ``"uncoded"``), ``keyword`` (the first word form that
        matched, as written in lower case; missing for ``"uncoded"``) and ``negated``
        (bool, see the module docstring). Rows follow the order of ``comments``.
        Comments without any letter (empty, ``"-"``) are dropped.

    Notes
    -----
    Matching is one vectorised regular expression per theme over the lower-cased texts
    (``Series.str.contains``); see the module docstring for the morphology it handles.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"participant_id": ["P1", "P2"], "session_id": "S1",
    ...                   "text": ["Materi kurang relevan dgn tupoksi", "-"]})
    >>> code_themes(c)[["participant_id", "theme", "keyword", "negated"]]
      participant_id      theme  keyword  negated
    0             P1  materials   materi    False
    1             P1  relevance  relevan     True
    """
    _check_dictionary(dictionary)
    check_columns(comments, ["participant_id", "session_id", text], param="comments")
    codes = [*dictionary, UNCODED]
    norm = comments[text].astype("str").str.lower()
    has_text = (
        norm.str.contains(_LETTER, regex=True, na=False).to_numpy()
        & comments[text].notna().to_numpy()
    )
    keep_cols = [c for c in comments.columns if c != text]
    neg = rf"\b(?:{'|'.join(NEGATIONS)})\b[\s,]+(?:{_LETTER}+[\s,]+)?"
    position = np.arange(len(comments))
    parts, any_hit = [], np.zeros(len(comments), dtype=bool)
    for order, (code, theme) in enumerate(dictionary.items()):
        pat = theme_pattern(theme)
        plain = theme_pattern(theme, capture=False)
        hit = norm.str.contains(plain, regex=True, na=False).to_numpy() & has_text
        any_hit |= hit
        if not hit.any():
            continue
        sub = norm[hit]
        neg_pat = neg + plain
        parts.append(
            comments.loc[hit, keep_cols].assign(
                theme=code,
                keyword=sub.str.extract(pat, expand=False).to_numpy(),
                negated=sub.str.contains(neg_pat, regex=True).to_numpy(dtype=bool),
                _pos=position[hit],
                _order=order,
            )
        )
    rest = has_text & ~any_hit
    parts.append(
        comments.loc[rest, keep_cols].assign(
            theme=UNCODED, keyword=pd.NA, negated=False, _pos=position[rest], _order=len(codes)
        )
    )
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    out = out.sort_values(["_pos", "_order"], kind="stable").drop(columns=["_pos", "_order"])
    out["theme"] = pd.Categorical(out["theme"], categories=codes)
    out["keyword"] = out["keyword"].astype("str").where(out["keyword"].notna())
    out["negated"] = out["negated"].astype(bool)
    return out.reset_index(drop=True)


def theme_counts(
    coded: pd.DataFrame,
    *,
    by=None,
    confidence: float = 0.95,
    key=("participant_id", "session_id"),
) -> pd.DataFrame:
    r"""How many comments raise each theme, per group, with Wilson intervals.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`code_themes` (one row per comment and theme, ``"uncoded"``
        included, so that every comment is counted in the denominator).
    by : str or list of str, optional
        Grouping columns of ``coded`` (e.g. ``"session_id"``, or ``"method"`` when it was
        merged into the comments before coding); all groups in one vectorised pass.
    confidence : float, default 0.95
        Level of the Wilson intervals.
    key : sequence of str, default ("participant_id", "session_id")
        Columns that identify one comment.

    Returns
    -------
    DataFrame
        One row per observed group and **every** theme (zero counts kept), in dictionary
        order: the ``by`` columns, ``theme``, ``n_comments`` (comments in the group),
        ``count`` (comments raising the theme), ``pct`` (percent of comments),
        ``ci_low``, ``ci_high`` (Wilson, percent), ``confidence``, ``ci_method``.
        A comment can raise several themes, so ``pct`` need not sum to 100.

    Notes
    -----
    ``pct`` = 100 · count / n_comments; the interval is the Wilson score interval
    (:func:`toolkit.intervals.wilson_interval`; Wilson 1927,
    https://doi.org/10.1080/01621459.1927.10502953), which treats comments as independent.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"participant_id": ["P1", "P2", "P3"], "session_id": "S1",
    ...                   "text": ["Jadwal terlalu padat", "Waktu kurang", "Bagus"]})
    >>> tc = theme_counts(code_themes(c))
    >>> tc.loc[tc["theme"].isin(["time_schedule", "speaker", "uncoded"]),
    ...        ["theme", "n_comments", "count", "pct"]]
                theme  n_comments  count        pct
    0   time_schedule           3      2  66.666667
    1         speaker           3      0   0.000000
    10        uncoded           3      1  33.333333
    """
    key = as_list(key)
    check_columns(coded, [*key, "theme"], param="coded")
    out_cols = ("theme", "n_comments", "count", "pct", "ci_low", "ci_high")
    by = check_by(coded, by, (*out_cols, "confidence", "ci_method"))
    check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
    theme = coded["theme"]
    if isinstance(theme.dtype, pd.CategoricalDtype):
        levels = list(theme.cat.categories)
    else:
        known = [*THEMES, UNCODED]
        extra = sorted(set(theme.dropna().astype("str")) - set(known))
        levels = known + extra
    tcode = pd.Categorical(theme.astype("str"), categories=levels).codes.astype(np.int64)
    n_themes = len(levels)
    gid, keys = group_codes(coded, by)
    cid, _ = group_codes(coded, list(dict.fromkeys([*key, *by])))
    ok = (gid >= 0) & (cid >= 0)
    n_c = int(cid.max()) + 1 if ok.any() else 0
    first = np.full(n_c, -1, dtype=np.int64)
    rows = np.flatnonzero(ok)[::-1]
    first[cid[rows]] = rows
    n_groups = len(keys)
    n = np.bincount(gid[first[first >= 0]], minlength=n_groups)
    pair = np.unique(cid[ok & (tcode >= 0)] * n_themes + tcode[ok & (tcode >= 0)])
    pair_g = gid[first[pair // n_themes]]
    counts = np.bincount(pair_g * n_themes + pair % n_themes, minlength=n_groups * n_themes)
    nn = np.repeat(n, n_themes)
    low, high = wilson_interval(counts, nn, confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100 * counts / nn
    out = keys.iloc[np.repeat(np.arange(n_groups), n_themes)].reset_index(drop=True)
    out["theme"] = pd.Categorical.from_codes(
        np.tile(np.arange(n_themes), n_groups), categories=levels
    )
    out["n_comments"] = nn
    out["count"] = counts
    out["pct"] = pct
    out["ci_low"] = 100 * low
    out["ci_high"] = 100 * high
    out["confidence"] = float(confidence)
    out["ci_method"] = pd.Series("wilson", index=out.index, dtype="str")
    return out


def example_quotes(
    comments: pd.DataFrame,
    coded: pd.DataFrame,
    *,
    n: int = 3,
    seed: int = 0,
    themes=None,
    text: str = "text",
    key=("participant_id", "session_id"),
) -> pd.DataFrame:
    """Up to ``n`` example comments per theme, drawn reproducibly.

    Parameters
    ----------
    comments : DataFrame
        The comments that were coded (with the text column).
    coded : DataFrame
        Output of :func:`code_themes`.
    n : int, default 3
        Quotes per theme (fewer when a theme has fewer comments).
    seed : int, default 0
        Seed of ``numpy.random.default_rng``. The draw depends only on the seed and the
        data, not on the row order of the inputs (rows are sorted by key first).
    themes : str or list of str, optional
        Themes to quote, in this order; default every theme except ``"uncoded"`` (ask for
        ``"uncoded"`` to find comments the dictionary misses).
    text : str, default "text"
        Name of the text column of ``comments``.
    key : sequence of str, default ("participant_id", "session_id")
        Columns that identify one comment in both tables.

    Returns
    -------
    DataFrame
        ``theme``, ``rank`` (1 … n), the ``key`` columns, ``text``, ``keyword``,
        ``negated``; themes in order, then rank.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"participant_id": ["P1", "P2", "P3"], "session_id": "S1",
    ...                   "text": ["Jadwal padat", "Waktunya kurang", "Modul bagus"]})
    >>> q = example_quotes(c, code_themes(c), n=1, seed=1)
    >>> q[["theme", "rank", "text"]]
               theme  rank          text
    0  time_schedule     1  Jadwal padat
    1      materials     1   Modul bagus
    """
    key = as_list(key)
    check_columns(comments, [*key, text], param="comments")
    check_columns(coded, [*key, "theme"], param="coded")
    check_number("n", n, low=1)
    if int(n) != n:
        raise ValueError(f"`n` must be a whole number, but {n!r} was passed.")
    levels = (
        list(coded["theme"].cat.categories)
        if isinstance(coded["theme"].dtype, pd.CategoricalDtype)
        else sorted(set(coded["theme"].astype("str")))
    )
    wanted = [t for t in levels if t != UNCODED] if themes is None else as_list(themes)
    unknown = [t for t in wanted if t not in levels]
    if unknown:
        raise ValueError(f"`themes` names {unknown[0]!r}, which is not one of {levels!r}.")
    extra = [c for c in ("keyword", "negated") if c in coded.columns]
    sel = coded.loc[coded["theme"].astype("str").isin(wanted), [*key, "theme", *extra]]
    merged = sel.merge(comments[[*key, text]], on=key, how="left", validate="many_to_one")
    merged["theme"] = pd.Categorical(merged["theme"].astype("str"), categories=wanted)
    sort_keys = [merged[k].astype("str").rename(f"_k{i}") for i, k in enumerate(key)]
    merged = pd.concat([merged, *sort_keys], axis=1).sort_values(
        ["theme", *[s.name for s in sort_keys]], kind="stable"
    )
    merged["_r"] = np.random.default_rng(seed).random(len(merged))
    merged = merged.sort_values(["theme", "_r"], kind="stable")
    out = merged.groupby("theme", observed=True, sort=False).head(int(n))
    out = out.assign(rank=out.groupby("theme", observed=True).cumcount() + 1)
    cols = ["theme", "rank", *key, text, *extra]
    return out[cols].rename(columns={text: "text"}).reset_index(drop=True)
