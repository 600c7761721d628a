"""Appendix A of the report: the methods, formulas and standards behind every figure.

Formulas are typeset offline by matplotlib's mathtext into inline SVG: the report needs no
script and no font download, and the PDF shows them exactly as the browser does.

Examples
--------
>>> svg = formula_svg(r"ROI = \\frac{B - C}{C} \\times 100")
>>> svg.startswith("<svg")
True
"""

from __future__ import annotations

import functools
import io
import re

from toolkit.disclosure import MIN_GROUP

__all__ = ["METHODS_LABELS", "formula_svg", "methods"]

#: The methods described in the appendix: title, text, formula (mathtext) and source.
METHODS_LABELS = {
    "top2": {
        "id": "Reaksi: dua kategori teratas (top-2 box)",
        "en": "Reaction: top-2 box",
    },
    "top2_text": {
        "id": "Persentase jawaban pada dua titik tertinggi skala di antara jawaban pada skala "
        "(jawaban 'tidak tahu' = 99 dan yang kosong tidak dihitung); interval kepercayaan "
        "(IK) 95% Wilson. Butir berskala 0–10 adalah butir rekomendasi (NPS) dan tidak "
        "termasuk.",
        "en": "Share of answers on the two highest points of the scale among the answers on "
        "the scale ('don't know' = 99 and empty answers are left out); Wilson confidence "
        "interval. Items on a 0–10 scale are recommend (NPS) items and are left out.",
    },
    "nps": {"id": "Net Promoter Score", "en": "Net Promoter Score"},
    "nps_text": {
        "id": "Persentase promotor (9–10) dikurangi persentase detraktor (0–6) pada butir "
        "berskala 0–10; IK 95% Wald yang disesuaikan (Rocks 2016).",
        "en": "Percent promoters (9–10) minus percent detractors (0–6) on the 0–10 item; "
        "adjusted-Wald confidence interval (Rocks 2016).",
    },
    "hake": {"id": "Pembelajaran: gain ternormalisasi Hake", "en": "Learning: Hake's gain"},
    "hake_text": {
        "id": "Dihitung dari rata-rata kelas skor pre-test dan post-test (persen benar). "
        "Kategori: rendah < 0,3 ≤ sedang < 0,7 ≤ tinggi (Hake 1998). Efek berpasangan d_z = "
        "rata-rata selisih / SD selisih, dengan IK 95% t non-sentral.",
        "en": "Computed from the class averages of pre- and post-test scores (percent "
        "correct). Bands: low < 0.3 ≤ medium < 0.7 ≤ high (Hake 1998). Paired effect size "
        "d_z = mean difference / SD of differences, with the noncentral-t interval.",
    },
    "behavior": {"id": "Perilaku: perubahan berpasangan", "en": "Behaviour: paired change"},
    "behavior_text": {
        "id": "Skor perilaku per peserta = rata-rata butir perilaku (butir driver_* tidak "
        "termasuk); perubahan dari baseline ke tindak lanjut dengan uji t berpasangan, per "
        "penilai (diri sendiri, atasan).",
        "en": "Behaviour score per participant = mean of the behaviour items (driver_* items "
        "excluded); change from baseline to follow-up with a paired t-test, per rater (self, "
        "supervisor).",
    },
    "ikm": {"id": "Indeks Kepuasan Masyarakat (IKM)", "en": "Public satisfaction index (IKM)"},
    "ikm_text": {
        "id": "PermenPANRB 14/2017: sembilan unsur dijawab 1–4; NRR unsur = rata-rata jawaban; "
        "IKM = jumlah NRR × bobot 1/9 (bobot eksak, bukan 0,11); nilai konversi × 25. Mutu: "
        "A 88,31–100; B 76,61–88,30; C 65,00–76,60; D 25,00–64,99.",
        "en": "PermenPANRB 14/2017: nine elements answered 1–4; an element's NRR = mean "
        "answer; IKM = sum of NRR × weight 1/9 (exact weights, not 0.11); converted × 25. "
        "Grades: A 88.31–100; B 76.61–88.30; C 65.00–76.60; D 25.00–64.99.",
    },
    "did": {"id": "Dampak: selisih-dalam-selisih", "en": "Impact: difference-in-differences"},
    "did_text": {
        "id": "Regresi panel unit × triwulan dengan efek tetap unit dan periode; galat baku "
        "dikelompokkan per unit. Efek = kenaikan IKM unit yang dilatih setelah pelatihan "
        "dibanding perubahan di unit pembanding; asumsinya tren paralel tanpa pelatihan.",
        "en": "Unit × quarter panel regression with unit and period fixed effects; standard "
        "errors clustered by unit. The effect is the rise of trained units' IKM after "
        "training beyond the change in comparison units; it assumes parallel trends without "
        "training.",
    },
    "roi": {"id": "ROI Phillips", "en": "Phillips ROI"},
    "roi_text": {
        "id": "Manfaat terisolasi per estimasi = nilai tahunan × atribusi × keyakinan; tanpa "
        "angka berarti nol; klaim ekstrem (> 10 × median ukurannya) tidak dihitung. Biaya "
        "penuh termasuk biaya desain yang diprorata dan waktu peserta (Phillips & Phillips "
        "2007).",
        "en": "Isolated benefit per estimate = annual value × attribution × confidence; no "
        "figure counts as zero; extreme claims (> 10 × the median of their measure) are not "
        "counted. Fully loaded costs include prorated design costs and participants' time "
        "(Phillips & Phillips 2007).",
    },
    "jp": {"id": "Hak 20 JP", "en": "The 20 JP right"},
    "jp_text": {
        "id": "Setiap PNS berhak atas sekurang-kurangnya 20 JP pengembangan kompetensi per "
        "tahun (PP 11/2017 jo. PP 17/2020; Peraturan LAN 10/2018); 1 JP = 45 menit.",
        "en": "Every civil servant (PNS) has the right to at least 20 JP of competency "
        "development a year (PP 11/2017 as amended by PP 17/2020; Peraturan LAN 10/2018); "
        "1 JP = 45 minutes.",
    },
    "privacy": {"id": "Privasi", "en": "Privacy"},
    "privacy_text": {
        "id": "Peserta diidentifikasi dengan pseudonim (HMAC-SHA256 dari NIP dengan kunci "
        "kantor; UU 27/2022); laporan tidak memuat NIP, nama, atau kutipan komentar (NIP, NIK, "
        "e-mail, dan nomor telepon dalam komentar dihapus saat data dibaca). Angka yang "
        "bertumpu pada kurang dari {m} orang tidak ditampilkan, dan kelompok terkecil "
        "berikutnya ikut disembunyikan bila angka kelompok kecil itu dapat dihitung dari total "
        "dikurangi kelompok yang tampil (supresi komplementer; Hundepool dkk. 2012, bab 5).",
        "en": "Participants are identified by pseudonyms (HMAC-SHA256 of the NIP with the "
        "office's key; UU 27/2022); the report holds no NIP, name or quoted comment (NIPs, "
        "NIKs, e-mail addresses and phone numbers in comments are removed when the data are "
        "read). Figures resting on fewer than {m} people are not shown, and the next-smallest "
        "groups are hidden with them wherever a total minus the groups shown would give them "
        "back (complementary suppression; Hundepool et al. 2012, ch. 5).",
    },
}

_FORMULAS = {
    "top2": r"\tilde p = \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}"
    r"{1 + z^2/n}",
    "nps": r"NPS = 100\,(\hat p_{9\text{-}10} - \hat p_{0\text{-}6})",
    "hake": r"\langle g \rangle = \frac{\langle post \rangle - \langle pre \rangle}"
    r"{100 - \langle pre \rangle}",
    "behavior": r"t = \frac{\bar d}{s_d / \sqrt{n}},\quad d_z = \frac{\bar d}{s_d}",
    "ikm": r"IKM = \sum_{j=1}^{9} \frac{1}{9}\,NRR_j,\quad IKM_{25} = 25 \times IKM",
    "did": r"y_{it} = \alpha_i + \lambda_t + \delta\,D_{it} + \varepsilon_{it}",
    "roi": r"BCR = \frac{B}{C},\quad ROI = \frac{B - C}{C} \times 100\%",
    "jp": "",
    "privacy": "",
}

_SOURCES = {
    "top2": "Wilson (1927), J. Am. Stat. Assoc. 22, 209–212.",
    "nps": "Rocks (2016), MeasuringU: confidence intervals for the Net Promoter Score.",
    "hake": "Hake (1998), Am. J. Phys. 66, 64–74; Lakens (2013), Front. Psychol. 4:863.",
    "behavior": "Kirkpatrick & Kirkpatrick (2016), Four Levels of Training Evaluation.",
    "ikm": "Peraturan Menteri PANRB No. 14 Tahun 2017.",
    "did": "Angrist & Pischke (2009), Mostly Harmless Econometrics, ch. 5.",
    "roi": "Phillips & Phillips (2007), Show Me the Money; Phillips (2005), ROI Basics.",
    "jp": "PP 17/2020; Peraturan LAN 10/2018.",
    "privacy": "UU 27/2022 tentang Pelindungan Data Pribadi.",
}


@functools.lru_cache(maxsize=32)
def formula_svg(tex: str) -> str:
    """A formula typeset by matplotlib's mathtext, as SVG markup."""
    import matplotlib
    from matplotlib.figure import Figure

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "asn-toolkit", "svg.fonttype": "path"}):
        fig = Figure(figsize=(0.01, 0.01))
        fig.text(0, 0, f"${tex}$", fontsize=13)
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.05,
                    metadata={"Date": None})  # fmt: skip
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)


def methods(lang: str, min_group: int = MIN_GROUP) -> list[dict]:
    """The appendix's entries in ``lang``: ``title``, ``text``, ``formula`` (SVG), ``source``.

    ``min_group`` is the report's small-cell threshold, named in the privacy entry.
    """
    return [
        {
            "title": METHODS_LABELS[key][lang],
            "text": METHODS_LABELS[f"{key}_text"][lang].replace("{m}", str(min_group)),
            "formula": formula_svg(tex) if tex else "",
            "source": _SOURCES[key],
        }
        for key, tex in _FORMULAS.items()
    ]
