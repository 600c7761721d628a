"""The explorer's pure functions: filters, summaries and number formats, without widgets.

Re-exported by :mod:`toolkit.explore` (import them from there), which also gives the
rendering layer of :mod:`toolkit._explore_app`; the rendering layer builds on this module,
so the dependencies run one way (``explore`` → ``_explore_app`` → ``_explore_core``).

Examples
--------
>>> import toolkit
>>> from toolkit.data import load
>>> workshops = filter_data(load(toolkit.SAMPLE_DATA), method="workshop")
>>> sorted(workshops.sessions["method"].unique())
['workshop']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from toolkit.data import EvaluationData
from toolkit.disclosure import MIN_GROUP, suppress
from toolkit.i18n import LANGUAGES, localize_numbers
from toolkit.schema import NA_CODE
from toolkit.validation import as_list, check_number, check_one_of

__all__ = [
    "FILTERS",
    "LABELS",
    "NOT_TRAINED",
    "SECTIONS",
    "filter_data",
    "OVERVIEW",
    "comparison_units",
    "filter_options",
    "format_number",
    "summaries",
]

#: The filters, in the order the app shows them.
FILTERS = ("unit", "program", "method", "provider", "period", "cohort")

#: The tabs: one per Kirkpatrick level, then participation.
SECTIONS = ("reaction", "learning", "behavior", "results", "participation")

#: Cohort code of the units whose staff were never trained.
NOT_TRAINED = "not_trained"

#: Labels of the explorer (looked up before :data:`toolkit.i18n.LABELS`).
# fmt: off
LABELS: dict[str, dict[str, str]] = {
    "explorer_title": {"id": "Penjelajah hasil evaluasi pelatihan ASN",
                       "en": "ASN training evaluation explorer"},
    "language": {"id": "Bahasa", "en": "Language"},
    "all_values": {"id": "(semua)", "en": "(all)"},
    "reset": {"id": "Hapus filter", "en": "Clear filters"},
    "session_period": {"id": "Triwulan sesi", "en": "Session quarter"},
    "cohort": {"id": "Kohort (triwulan pertama dilatih)", "en": "Cohort (first trained)"},
    NOT_TRAINED: {"id": "Belum dilatih", "en": "Not trained"},
    "participation": {"id": "Partisipasi", "en": "Participation"},
    "overview": {"id": "Ringkasan pilihan", "en": "The selection at a glance"},
    "suppressed_short": {"id": "disembunyikan (n < {m})", "en": "suppressed (n < {m})"},
    "suppressed_complement": {
        "id": "Angka pilihan ini disembunyikan: bersama angka pilihan lain yang ditampilkan, "
              "angka ini akan mengungkap kelompok kecil (kurang dari {m} orang).",
        "en": "The figures of this selection are suppressed: with the figures of other "
              "selections shown, they would reveal a small group (fewer than {m} people)."},
    "suppressed_long": {
        "id": "Kurang dari {m} orang dalam pilihan ini: angka disembunyikan untuk melindungi "
              "privasi peserta.",
        "en": "Fewer than {m} people in this selection: the figures are suppressed to protect "
              "the participants' privacy."},
    "no_data": {"id": "Tidak ada data untuk pilihan ini.", "en": "No data for this selection."},
    "ikm_note": {"id": "IKM diukur per unit: hanya filter unit dan kohort yang berlaku.",
                 "en": "The IKM is measured per unit: only the unit and cohort filters apply."},
    "ikm_groups": {"id": "Terpilih: {a}. Pembanding: {b}.",
                   "en": "Selected: {a}. Comparison: {b}."},
    "ikm_read": {
        "id": "Bacalah selisih kedua garis sebelum dan sesudah pelatihan, bukan kenaikan unit "
              "terpilih saja: IKM semua unit dapat naik tanpa pelatihan. Notebook 06 "
              "menghitung selisih-dalam-selisih (DiD) dengan IK 95%.",
        "en": "Read the gap between the two lines before and after training, not the rise of "
              "the selected units alone: every unit's IKM may rise without training. Notebook "
              "06 computes the difference-in-differences (DiD) with its 95% CI."},
    "group_trained": {"id": "{n} unit yang pernah dilatih", "en": "{n} trained units"},
    "group_not_trained": {"id": "{n} unit yang belum dilatih",
                          "en": "{n} units never trained"},
    "group_other": {"id": "{n} unit lain di luar pilihan",
                    "en": "{n} other units, outside the selection"},
    "group_none": {"id": "tidak ada (semua unit termasuk pilihan)",
                   "en": "none (every unit is in the selection)"},
    "selected_units": {"id": "Unit terpilih", "en": "Selected units"},
    "comparison_units": {"id": "Unit pembanding", "en": "Comparison units"},
    "first_trained": {"id": "Pertama dilatih", "en": "First trained"},
    # key numbers
    "n_units": {"id": "Unit kerja peserta", "en": "Units taking part"},
    "n_sessions": {"id": "Sesi yang dihadiri", "en": "Sessions attended"},
    "n_participants": {"id": "Peserta diundang", "en": "Invited participants"},
    "n_attended": {"id": "Peserta hadir", "en": "Participants attending"},
    "reaction_top2": {"id": "Rata-rata top-2 box semua butir", "en": "Mean top-2 box over items"},
    "reaction_nps": {"id": "Net Promoter Score (NPS)", "en": "Net Promoter Score (NPS)"},
    "learning_pre": {"id": "Rata-rata pre-test (% benar)", "en": "Mean pre-test (% correct)"},
    "learning_post": {"id": "Rata-rata post-test (% benar)", "en": "Mean post-test (% correct)"},
    "learning_ngain": {"id": "Skor N-gain (%)", "en": "N-gain score (%)"},
    "learning_g_class": {"id": "Gain kelas Hake ⟨g⟩", "en": "Hake's class gain ⟨g⟩"},
    "behavior_change": {"id": "Perubahan perilaku", "en": "Behaviour change"},
    "ikm_first": {"id": "IKM unit terpilih, awal", "en": "IKM of the selected units, first"},
    "ikm_latest": {"id": "IKM unit terpilih, terakhir", "en": "IKM of the selected units, latest"},
    "ikm_comparison_first": {"id": "IKM unit pembanding, awal",
                             "en": "IKM of the comparison units, first"},
    "ikm_comparison_latest": {"id": "IKM unit pembanding, terakhir",
                              "en": "IKM of the comparison units, latest"},
    "attendance_share": {"id": "Proporsi undangan yang dihadiri", "en": "Invitations attended"},
    "completion_share": {"id": "Proporsi undangan yang lulus", "en": "Invitations completed"},
    "jp_share": {"id": "JP diikuti / JP rencana", "en": "JP attended / JP planned"},
    "jp_delivered": {"id": "JP diikuti", "en": "JP attended"},
    # one-line explanations of the key numbers (help_<key>)
    "help_n_units": {
        "id": "Unit kerja yang sedikitnya satu pegawainya hadir (lebih dari 0 JP) pada sesi "
              "terpilih.",
        "en": "Units with at least one staff member who attended (more than 0 JP) a selected "
              "session."},
    "help_n_sessions": {
        "id": "Sesi yang lolos filter program, metode, penyelenggara dan triwulan, dan dihadiri "
              "sedikitnya satu pegawai unit terpilih.",
        "en": "Sessions passing the programme, method, provider and quarter filters that at "
              "least one staff member of the selected units attended."},
    "help_n_participants": {
        "id": "Pegawai unit terpilih yang diundang ke sedikitnya satu sesi terpilih (tiap orang "
              "dihitung sekali).",
        "en": "Staff of the selected units invited to at least one selected session (each "
              "person counted once)."},
    "help_n_attended": {
        "id": "Dari peserta yang diundang, yang hadir (lebih dari 0 JP) pada sedikitnya satu "
              "sesi terpilih.",
        "en": "Of the invited participants, those who attended (more than 0 JP) at least one "
              "selected session."},
    "help_reaction_top2": {
        "id": "Top-2 box: persen jawaban pada dua pilihan tertinggi skala (mis. 4 dan 5 pada "
              "skala 1–5), dirata-ratakan atas butir.",
        "en": "Top-2 box: the percentage of answers in the scale's two highest options (e.g. "
              "4 and 5 on 1–5), averaged over the items."},
    "help_reaction_nps": {
        "id": "NPS: % promotor (nilai 9–10) dikurangi % detraktor (0–6) pada pertanyaan "
              "kesediaan merekomendasikan; dari −100 sampai +100.",
        "en": "NPS: % promoters (9–10) minus % detractors (0–6) on the would-you-recommend "
              "question; from −100 to +100."},
    "help_learning_pre": {
        "id": "Rata-rata nilai tes sebelum pelatihan, hanya peserta yang memiliki nilai pre "
              "dan post.",
        "en": "Mean test score before training, participants with both a pre- and a post-test "
              "only."},
    "help_learning_post": {
        "id": "Rata-rata nilai tes sesudah pelatihan, peserta yang sama.",
        "en": "Mean test score after training, the same participants."},
    "help_learning_ngain": {
        "id": "Rata-rata gain tiap peserta × 100; kategori N-gain: < 40 tidak efektif, 40–55 "
              "kurang, 56–75 cukup, > 76 efektif.",
        "en": "Mean of each participant's gain × 100; N-gain bands: < 40 not effective, 40–55 "
              "less, 56–75 fairly, > 76 effective."},
    "help_learning_g_class": {
        "id": "(rata-rata post − rata-rata pre) / (100 − rata-rata pre); kategori Hake: rendah "
              "< 0,3 ≤ sedang < 0,7 ≤ tinggi. Bukan angka yang sama dengan N-gain.",
        "en": "(mean post − mean pre) / (100 − mean pre); Hake's bands: low < 0.3 ≤ medium "
              "< 0.7 ≤ high. Not the same number as the N-gain score."},
    "help_behavior_change": {
        "id": "Rata-rata selisih skor perilaku per orang (tindak lanjut − sebelum pelatihan), "
              "pada skala butir.",
        "en": "Mean per-person change of the behaviour score (follow-up − baseline), on the "
              "items' scale."},
    "help_ikm_first": {
        "id": "IKM (PermenPANRB 14/2017): rata-rata unsur U1–U9 (1–4) × 25, rentang 25–100; "
              "triwulan pertama unit terpilih.",
        "en": "IKM (PermenPANRB 14/2017): the mean of elements U1–U9 (1–4) × 25, from 25 to "
              "100; the selected units' first quarter."},
    "help_ikm_latest": {"id": "IKM unit terpilih pada triwulan terakhir.",
                        "en": "The selected units' IKM in the latest quarter."},
    "help_ikm_comparison_first": {
        "id": "IKM unit pembanding pada triwulan yang sama dengan kartu unit terpilih.",
        "en": "The comparison units' IKM in the same quarter as the selected units' card."},
    "help_ikm_comparison_latest": {
        "id": "IKM unit pembanding pada triwulan terakhir.",
        "en": "The comparison units' IKM in the latest quarter."},
    "help_attendance_share": {
        "id": "Undangan ke sesi terpilih yang dihadiri (lebih dari 0 JP), dari semua undangan.",
        "en": "Invitations to the selected sessions attended (more than 0 JP), of all "
              "invitations."},
    "help_completion_share": {
        "id": "Undangan yang berakhir dengan status lulus, dari semua undangan.",
        "en": "Invitations that ended as completed, of all invitations."},
    "help_jp_share": {
        "id": "Jam pelajaran (JP) yang diikuti dibagi JP yang direncanakan untuk semua "
              "undangan.",
        "en": "Lesson hours (JP) attended divided by the JP planned for all invitations."},
    "help_jp_delivered": {"id": "Jumlah jam pelajaran (JP) yang diikuti semua peserta.",
                          "en": "Total lesson hours (JP) attended by all participants."},
    # one-line explanations of table columns (help_<heading>)
    "help_col_answers": {"id": "Jumlah jawaban yang dihitung (tanpa \"tidak tahu\").",
                         "en": "Answers counted (\"don't know\" left out)."},
    "help_col_people": {"id": "Jumlah orang berbeda di balik baris.",
                        "en": "Distinct people behind the row."},
    "help_col_pairs": {"id": "Jumlah pasangan nilai pre dan post.",
                       "en": "Pairs of a pre- and a post-test score."},
    "help_mean": {"id": "Rata-rata jawaban pada skala butir.",
                  "en": "Mean answer on the item's scale."},
    "help_col_ci": {
        "id": "Interval kepercayaan (IK) 95%: rentang nilai yang sejalan dengan data; makin "
              "sedikit orang, makin lebar.",
        "en": "95% confidence interval (CI): the range of values consistent with the data; "
              "the fewer people, the wider."},
    "help_promoters": {"id": "Persen yang memberi nilai 9 atau 10.",
                       "en": "Percentage answering 9 or 10."},
    "help_passives": {"id": "Persen yang memberi nilai 7 atau 8.",
                      "en": "Percentage answering 7 or 8."},
    "help_detractors": {"id": "Persen yang memberi nilai 0 sampai 6.",
                        "en": "Percentage answering 0 to 6."},
    "help_col_hake_band": {
        "id": "Kategori Hake untuk ⟨g⟩: rendah < 0,3 ≤ sedang < 0,7 ≤ tinggi.",
        "en": "Hake's band of ⟨g⟩: low < 0.3 ≤ medium < 0.7 ≤ high."},
    "help_col_ngain_band": {
        "id": "Kategori skor N-gain: < 40 tidak efektif, 40–55 kurang, 56–75 cukup, > 76 "
              "efektif. Dua angka yang berbeda dapat jatuh pada kategori yang berbeda.",
        "en": "Band of the N-gain score: < 40 not effective, 40–55 less, 56–75 fairly, > 76 "
              "effective. Two different numbers may fall in different bands."},
    "help_col_from": {"id": "Rata-rata skor perilaku sebelum pelatihan.",
                      "en": "Mean behaviour score at baseline."},
    "help_col_to": {"id": "Rata-rata skor perilaku pada waktu tindak lanjut.",
                    "en": "Mean behaviour score at the follow-up."},
    "help_d_z": {
        "id": "Besar efek d_z: perubahan rata-rata dibagi simpangan baku selisih per orang; "
              "0,2 kecil, 0,5 sedang, 0,8 besar (Cohen).",
        "en": "Effect size d_z: the mean change divided by the standard deviation of the "
              "per-person changes; 0.2 small, 0.5 medium, 0.8 large (Cohen)."},
    "help_col_respondents": {"id": "Responden survei kepuasan masyarakat pada triwulan itu.",
                             "en": "Respondents to the public-satisfaction survey that quarter."},
    "help_col_grade": {
        "id": "Mutu pelayanan menurut nilai konversi: A ≥ 88,31; B ≥ 76,61; C ≥ 65; D di bawahnya.",
        "en": "Service grade from the converted index: A ≥ 88.31; B ≥ 76.61; C ≥ 65; D below."},
    "help_col_gap": {"id": "IKM unit terpilih dikurangi IKM unit pembanding.",
                     "en": "The selected units' IKM minus the comparison units' IKM."},
    "help_col_invited": {"id": "Jumlah undangan (satu orang dapat diundang ke beberapa sesi).",
                         "en": "Invitations (one person may be invited to several sessions)."},
    "help_col_jp_planned": {"id": "JP yang direncanakan untuk semua undangan.",
                            "en": "JP planned for all invitations."},
    "help_col_top2": {
        "id": "Persen jawaban pada dua pilihan tertinggi skala butir.",
        "en": "Percentage of answers in the item's two highest options."},
    "help_nps": {
        "id": "% promotor dikurangi % detraktor; dari −100 sampai +100.",
        "en": "% promoters minus % detractors; from −100 to +100."},
    "help_col_change": {
        "id": "Skor tindak lanjut dikurangi skor awal, rata-rata per orang.",
        "en": "Follow-up score minus baseline score, averaged per person."},
    "help_participants": {"id": "Orang berbeda yang diundang.",
                          "en": "Distinct people invited."},
    "help_col_ikm_selected": {
        "id": "IKM unit terpilih: rata-rata unsur U1–U9 (1–4) × 25, rentang 25–100 "
              "(PermenPANRB 14/2017).",
        "en": "IKM of the selected units: the mean of elements U1–U9 (1–4) × 25, from 25 to "
              "100 (PermenPANRB 14/2017)."},
    "help_col_ikm_comparison": {"id": "IKM unit pembanding, dihitung dengan cara yang sama.",
                                "en": "IKM of the comparison units, computed the same way."},
    # tables and their headings
    "tbl_reaction_items": {"id": "Butir survei reaksi", "en": "Reaction survey items"},
    "tbl_reaction_nps": {"id": "Kesediaan merekomendasikan (NPS)",
                         "en": "Willingness to recommend (NPS)"},
    "tbl_learning": {"id": "Nilai sebelum dan sesudah, N-gain",
                     "en": "Scores before and after, normalised gain"},
    "tbl_learning_by_method": {"id": "Menurut metode", "en": "By method"},
    "tbl_behavior": {"id": "Perubahan perilaku menurut penilai", "en": "Change by rater"},
    "tbl_ikm_versus": {"id": "IKM per triwulan: unit terpilih dan unit pembanding",
                       "en": "IKM by quarter: selected and comparison units"},
    "tbl_participation": {"id": "Kehadiran dan JP", "en": "Attendance and JP"},
    "tbl_participation_by_schedule": {"id": "Menurut jadwal", "en": "By schedule"},
    "col_item": {"id": "Butir", "en": "Item"},
    "col_answers": {"id": "Jawaban", "en": "Answers"},
    "col_people": {"id": "Orang", "en": "People"},
    "col_pairs": {"id": "Pasangan", "en": "Pairs"},
    "col_top2": {"id": "Top-2 box (%)", "en": "Top-2 box (%)"},
    "col_ci": {"id": "IK 95%", "en": "95% CI"},
    "col_hake_band": {"id": "Kategori Hake (⟨g⟩)", "en": "Hake band (⟨g⟩)"},
    "col_ngain_band": {"id": "Kategori N-gain", "en": "N-gain band"},
    "col_change": {"id": "Perubahan rata-rata", "en": "Mean change"},
    "col_from": {"id": "Skor awal", "en": "Baseline score"},
    "col_to": {"id": "Skor tindak lanjut", "en": "Follow-up score"},
    "col_respondents": {"id": "Responden", "en": "Respondents"},
    "col_grade": {"id": "Mutu", "en": "Grade"},
    "col_gap": {"id": "Selisih", "en": "Gap"},
    "col_invited": {"id": "Undangan", "en": "Invitations"},
    "col_jp_planned": {"id": "JP rencana", "en": "JP planned"},
    "col_n_selected": {"id": "Responden terpilih", "en": "Respondents, selected"},
    "col_ikm_selected": {"id": "IKM terpilih", "en": "IKM, selected"},
    "col_n_comparison": {"id": "Responden pembanding", "en": "Respondents, comparison"},
    "col_ikm_comparison": {"id": "IKM pembanding", "en": "IKM, comparison"},
    "promoters": {"id": "Promotor (%)", "en": "Promoters (%)"},
    "passives": {"id": "Pasif (%)", "en": "Passives (%)"},
    "detractors": {"id": "Detraktor (%)", "en": "Detractors (%)"},
    "nps": {"id": "NPS", "en": "NPS"},
    "rater": {"id": "Penilai", "en": "Rater"},
    "wave": {"id": "Waktu pengukuran", "en": "Wave"},
    "d_z": {"id": "Besar efek d_z", "en": "Effect size d_z"},
    "schedule": {"id": "Jadwal", "en": "Schedule"},
    "nrr_converted": {"id": "IKM (konversi 25–100)", "en": "IKM (converted, 25–100)"},
    "quarter": {"id": "Triwulan", "en": "Quarter"},
    # sample programmes (open codes: other data show their own codes)
    "service_excellence": {"id": "Pelayanan prima", "en": "Service excellence"},
    "digital_services": {"id": "Layanan digital", "en": "Digital services"},
    "public_communication": {"id": "Komunikasi publik", "en": "Public communication"},
    "leadership": {"id": "Kepemimpinan", "en": "Leadership"},
    "collaboration": {"id": "Kolaborasi", "en": "Collaboration"},
    "disaster_response": {"id": "Tanggap bencana", "en": "Disaster response"},
}

#: The overview's key numbers (all counts), in the order the app shows them.
OVERVIEW = ("n_units", "n_sessions", "n_participants", "n_attended")

#: Key numbers of each tab: (key, column of the toolkit's table, kind of number).
_KPIS = {
    "reaction": (("reaction_top2", "top2_pct", "pct"), ("reaction_nps", "estimate", "nps")),
    "learning": (("learning_pre", "mean_pre", "score"), ("learning_post", "mean_post", "score"),
                 ("learning_ngain", "ngain_percent", "score"),
                 ("learning_g_class", "g_class", "ratio")),
    "behavior": tuple((f"behavior_{r}_{w}", "estimate", "change")
                      for r in ("self", "supervisor") for w in ("followup_3m", "followup_6m")),
    "results": (("ikm_first", "converted", "index"), ("ikm_latest", "converted", "index"),
                ("ikm_comparison_first", "converted", "index"),
                ("ikm_comparison_latest", "converted", "index")),
    "participation": (("attendance_share", "attended_share", "share"),
                      ("completion_share", "completed_share", "share"),
                      ("jp_share", "jp_share", "share"), ("jp_delivered", "jp_delivered", "count")),
}
# fmt: on


def _check_min_group(min_group) -> int:
    check_number("min_group", min_group, low=1)
    if int(min_group) != min_group:
        raise ValueError(f"`min_group` must be a whole number, but {min_group!r} was passed.")
    return int(min_group)


def _check_data(data) -> None:
    if not isinstance(data, EvaluationData):
        raise TypeError(
            "`data` must be an EvaluationData, as returned by toolkit.data.load(...) or "
            f"filter_data(...), but {type(data).__name__} was passed."
        )


# --------------------------------------------------------------------------- filtering
def _session_quarter(sessions: pd.DataFrame) -> pd.Series:
    """The quarter each session started in, as text such as ``"2024Q1"``."""
    return sessions["start_date"].dt.to_period("Q").astype("str")


def _unit_cohort(units: pd.DataFrame) -> pd.Series:
    """Each unit's cohort: its first trained quarter, or :data:`NOT_TRAINED`."""
    return units["first_trained_period"].astype("str").fillna(NOT_TRAINED)


def filter_options(data: EvaluationData) -> dict[str, list[str]]:
    """The codes each filter can take in ``data``, in display order.

    Parameters
    ----------
    data : EvaluationData
        As returned by :func:`toolkit.data.load`.

    Returns
    -------
    dict of str to list of str
        One entry per name of :data:`FILTERS`: unit ids (sorted), programmes, methods and
        providers present in the sessions (in category order), the quarters sessions started
        in, and the cohorts (first trained quarters, then ``"not_trained"``).

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> options = filter_options(load(toolkit.SAMPLE_DATA))
    >>> options["method"]
    ['workshop', 'seminar', 'project_based', 'simulation', 'e_learning']
    >>> options["cohort"]
    ['2024Q1', '2024Q3', '2025Q1', '2025Q3', 'not_trained']
    """

    def present(s: pd.Series) -> list[str]:
        if isinstance(s.dtype, pd.CategoricalDtype):
            return [str(c) for c in s.cat.remove_unused_categories().cat.categories]
        return sorted(s.dropna().astype("str").unique().tolist())

    cohorts = _unit_cohort(data.units)
    trained = sorted(cohorts[cohorts != NOT_TRAINED].unique().tolist())
    return {
        "unit": sorted(data.units["unit_id"].astype("str").tolist()),
        "program": present(data.sessions["program"]),
        "method": present(data.sessions["method"]),
        "provider": present(data.sessions["provider"]),
        "period": sorted(_session_quarter(data.sessions).unique().tolist()),
        "cohort": trained + ([NOT_TRAINED] if (cohorts == NOT_TRAINED).any() else []),
    }


def _vocabulary(data: EvaluationData) -> dict[str, list[str]]:
    """Codes a filter accepts: those of :func:`filter_options`, and the categories of the
    columns, which survive filtering (so that a filtered dataset can be filtered again)."""
    options = filter_options(data)
    columns = {
        "unit": data.units["unit_id"],
        "program": data.sessions["program"],
        "method": data.sessions["method"],
        "provider": data.sessions["provider"],
        "cohort": data.units["first_trained_period"],
    }
    for name, s in columns.items():
        if isinstance(s.dtype, pd.CategoricalDtype):
            known = set(options[name])
            options[name] += [str(c) for c in s.cat.categories if str(c) not in known]
    if NOT_TRAINED not in options["cohort"]:
        options["cohort"].append(NOT_TRAINED)
    return options


def _chosen(name: str, value, options: Sequence[str]) -> list[str] | None:
    """The validated codes of one filter, or None when it does not restrict."""
    if value is None:
        return None
    values = [str(v) for v in as_list(value)]
    for v in values:
        if name == "period" and re.fullmatch(r"\d{4}Q[1-4]", v):
            continue
        check_one_of(name, v, options)
    return values


def _keep(rows: pd.DataFrame, column: str, allowed) -> np.ndarray:
    """Mask of the rows whose ``column`` is one of ``allowed`` (by text; fast on categories)."""
    s, values = rows[column], pd.unique(pd.Series(allowed).astype("str"))
    if isinstance(s.dtype, pd.CategoricalDtype):
        hit = np.append(s.cat.categories.astype("str").isin(values), False)
        return hit[s.cat.codes.to_numpy()]  # code -1 (missing) picks the final False
    return s.astype("str").isin(values).to_numpy()


def filter_data(
    data: EvaluationData,
    *,
    unit=None,
    program=None,
    method=None,
    provider=None,
    period=None,
    cohort=None,
) -> EvaluationData:
    """Restrict every table of ``data`` to the chosen units, cohorts and sessions.

    Parameters
    ----------
    data : EvaluationData
        As returned by :func:`toolkit.data.load`.
    unit, program, method, provider, period, cohort : str or list of str, optional
        Codes to keep (see :func:`filter_options`); ``None`` keeps everything. ``period`` is
        the quarter a session started (``"2024Q3"``); ``cohort`` the quarter a unit was first
        trained, or ``"not_trained"``.

    Returns
    -------
    EvaluationData
        The same tables, restricted: ``units`` by unit and cohort; ``participants`` to the
        staff of those units; ``sessions`` by programme, method, provider and period;
        ``enrollments``, ``reaction``, ``tests``, ``behavior`` and ``comments`` to the kept
        participants in the kept sessions; ``ikm_responses`` to the kept units;
        ``availability`` to the kept participants; ``costs`` to the lines of the kept
        sessions and the programme-level lines of the chosen programmes;
        ``benefit_estimates`` to the kept participants and the chosen programmes (a
        programme's lines belong to no session, so only the programme filter applies to
        them). ``instruments`` is unchanged. Categories are kept, so codes keep their order
        and a filtered dataset can be filtered again: filters compose as the intersection
        of the rows each keeps.

    Raises
    ------
    ValueError
        When a code is not one of the filter's options (the message suggests the closest).

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> sub = filter_data(data, unit=["U01", "U03"], method="workshop")
    >>> sorted(sub.participants["unit_id"].unique()), sorted(sub.ikm_responses["unit_id"].unique())
    (['U01', 'U03'], ['U01', 'U03'])
    >>> filter_data(data, method="workshops")
    Traceback (most recent call last):
    ...
    ValueError: `method` must be one of 'workshop', ..., but 'workshops' was passed. Did you mean 'workshop'?
    """
    _check_data(data)
    options = _vocabulary(data)
    given = dict(
        unit=unit, program=program, method=method, provider=provider, period=period, cohort=cohort
    )
    chosen = {name: _chosen(name, given[name], options[name]) for name in FILTERS}

    units = data.units
    keep_u = np.ones(len(units), dtype=bool)
    if chosen["unit"] is not None:
        keep_u &= units["unit_id"].astype("str").isin(chosen["unit"]).to_numpy()
    if chosen["cohort"] is not None:
        keep_u &= _unit_cohort(units).isin(chosen["cohort"]).to_numpy()
    units = units[keep_u]

    sessions = data.sessions
    keep_s = np.ones(len(sessions), dtype=bool)
    for name in ("program", "method", "provider"):
        if chosen[name] is not None:
            keep_s &= sessions[name].astype("str").isin(chosen[name]).to_numpy()
    if chosen["period"] is not None:
        keep_s &= _session_quarter(sessions).isin(chosen["period"]).to_numpy()
    sessions = sessions[keep_s]

    people = data.participants[_keep(data.participants, "unit_id", units["unit_id"])]
    pid, sid = people["participant_id"], sessions["session_id"]

    def in_scope(df: pd.DataFrame) -> pd.DataFrame:
        return df[_keep(df, "participant_id", pid) & _keep(df, "session_id", sid)]

    costs, benefits = data.costs, data.benefit_estimates
    on_program = np.ones(len(costs), dtype=bool)
    keep_b = _keep(benefits, "participant_id", pid)
    if chosen["program"] is not None:
        on_program = costs["program"].astype("str").isin(chosen["program"]).to_numpy()
        keep_b = keep_b & benefits["program"].astype("str").isin(chosen["program"]).to_numpy()
    on_session = _keep(costs, "session_id", sid)
    on_program = on_program & costs["session_id"].isna().to_numpy()
    tables = {
        "units": units,
        "participants": people,
        "sessions": sessions,
        "enrollments": in_scope(data.enrollments),
        "reaction": in_scope(data.reaction),
        "tests": in_scope(data.tests),
        "behavior": in_scope(data.behavior),
        "comments": in_scope(data.comments),
        "ikm_responses": data.ikm_responses[_keep(data.ikm_responses, "unit_id", units["unit_id"])],
        "availability": data.availability[_keep(data.availability, "participant_id", pid)],
        "costs": costs[on_session | on_program],
        "benefit_estimates": benefits[keep_b],
    }
    return replace(data, **{k: v.reset_index(drop=True) for k, v in tables.items()})


# --------------------------------------------------------------------------- summaries
def _people(df: pd.DataFrame, by: str | None = None):
    """Distinct participants, overall (int) or per value of ``by`` (Series, str index)."""
    if by is None:
        return int(df["participant_id"].nunique())
    keys = df[by].astype("str")
    return df["participant_id"].astype("str").groupby(keys).nunique()


def _flag(
    table: pd.DataFrame,
    people,
    min_group: int,
    keep: Sequence[str],
    *,
    hide=(),
    key=None,
    complementary: bool = False,
) -> pd.DataFrame:
    """Add ``n_people`` and the columns of :func:`toolkit.disclosure.suppress`; blank the
    numbers (``n_people`` too) of rows with too few people, of rows whose ``key`` is in
    ``hide`` (cells the differencing guard hides), and, with ``complementary`` (rows that
    add up to the selection's total), of the next-smallest rows."""
    out = table.copy()
    out["n_people"] = np.asarray(people, dtype="int64")
    force = None
    if key is not None and len(hide):
        keys = out[key] if isinstance(key, str) else pd.Series(key)
        force = keys.astype("str").isin([str(h) for h in hide]).to_numpy()
    return suppress(
        out, "n_people", min_group=min_group, keep=keep, force=force, complementary=complementary
    )


def _state(n_people: int, min_group: int) -> str:
    if n_people == 0:
        return "no_data"
    return "suppressed" if n_people < min_group else "ok"


def _kpi(section, key, value, kind, n_people, min_group, detail="", hidden=False):
    n_people = 0 if pd.isna(n_people) else int(n_people)
    hidden = bool(hidden or n_people < min_group)
    small = hidden or value is None or pd.isna(value)
    return {
        "section": section,
        "key": key,
        "value": np.nan if small else float(value),
        "kind": kind,
        "detail": detail,
        "n_people": n_people,
        "suppressed": hidden,
    }


def _answers(f: EvaluationData) -> pd.DataFrame:
    """The reaction answers that count (a response, not "don't know")."""
    answers = f.reaction[f.reaction["response"].notna().to_numpy()]
    return answers[(answers["response"] != NA_CODE).to_numpy()]


def _nps_items(f: EvaluationData) -> list[str]:
    bank = f.instruments[f.instruments["instrument"].astype("str") == "reaction"]
    is_nps = (bank["scale_min"] == 0).to_numpy() & (bank["scale_max"] == 10).to_numpy()
    return bank["item_code"].astype("str")[is_nps].tolist()


def _learning_pairs(f: EvaluationData) -> pd.DataFrame:
    """Complete pre/post pairs with the session's method."""
    from toolkit.learning import prepost_scores

    if f.tests.empty:
        return pd.DataFrame(columns=["participant_id", "session_id", "method"])
    scores = prepost_scores(f.tests)
    scores = scores[(scores["pre"].notna() & scores["post"].notna()).to_numpy()]
    return scores.merge(f.sessions[["session_id", "method"]], on="session_id", how="left")


def _behavior_pairs(f: EvaluationData) -> pd.DataFrame:
    """Participant × session × rater with a baseline and a follow-up (``wave_to``)."""
    from toolkit.behavior import behavior_scores

    pairs = []
    if not f.behavior.empty:
        scores = behavior_scores(f.behavior, instruments=f.instruments)
        wide = scores.set_index(["participant_id", "session_id", "rater", "wave"])["score"]
        wide = wide.unstack("wave")
        if "baseline" in wide.columns:
            for wave in [w for w in ("followup_3m", "followup_6m") if w in wide.columns]:
                both = wide["baseline"].notna() & wide[wave].notna()
                pairs.append(both[both].index.to_frame(index=False).assign(wave_to=wave))
    if not pairs:
        return pd.DataFrame(columns=["participant_id", "session_id", "rater", "wave_to"])
    return pd.concat(pairs, ignore_index=True)


def _reaction(f: EvaluationData, m: int, hide):
    from toolkit.reaction import likert_summary, net_promoter_score

    nps_items = _nps_items(f)
    answers = _answers(f)
    items = answers["item_code"].astype("str")
    n_people = _people(answers)
    tables, kpis = {}, []
    hidden = hide.get("reaction_items", ())
    if _state(n_people, m) == "ok":
        likert = f.reaction[~f.reaction["item_code"].astype("str").isin(nps_items).to_numpy()]
        if len(likert):
            out = likert_summary(likert, instruments=f.instruments)
            people = out["item_code"].astype("str").map(_people(answers, "item_code"))
            out = _flag(out, people.fillna(0), m, ["item_code"], hide=hidden, key="item_code")
            tables["reaction_items"] = out
            shown = out[~out["suppressed"]]
            kpis.append(
                _kpi(
                    "reaction",
                    "reaction_top2",
                    shown["top2_pct"].mean() if shown["top2_pct"].notna().any() else None,
                    "pct",
                    _people(answers[~items.isin(nps_items).to_numpy()]),
                    m,
                )
            )
        if len(nps_items) == 1 and (items == nps_items[0]).any():
            out = net_promoter_score(f.reaction, item=nps_items[0])
            people = _people(answers[(items == nps_items[0]).to_numpy()])
            out = _flag(out, [people], m, ["item_code"], hide=hidden, key="item_code")
            tables["reaction_nps"] = out
            kpis.append(
                _kpi(
                    "reaction",
                    "reaction_nps",
                    out["estimate"].iloc[0],
                    "nps",
                    people,
                    m,
                    hidden=out["suppressed"].iloc[0],
                )  # fmt: skip
            )
    return n_people, tables, kpis


def _learning(f: EvaluationData, m: int, hide):
    from toolkit.learning import normalized_gain

    tables, kpis = {}, []
    if f.tests.empty:
        return 0, tables, kpis
    scores = _learning_pairs(f)
    n_people = _people(scores)
    if _state(n_people, m) == "ok":
        overall = _flag(normalized_gain(scores), [n_people], m, [])
        tables["learning"] = overall
        by_method = normalized_gain(scores, by="method")
        people = by_method["method"].astype("str").map(_people(scores, "method"))
        tables["learning_by_method"] = _flag(
            by_method, people, m, ["method"], hide=hide.get("learning_by_method", ()),
            key="method", complementary=True,  # the methods add up to the overall row
        )  # fmt: skip
        tables["learning_scores"] = scores
        row = overall.iloc[0]
        kpis = [_kpi("learning", k, row[c], kind, n_people, m) for k, c, kind in _KPIS["learning"]]
    return n_people, tables, kpis


def _behavior(f: EvaluationData, m: int, hide):
    from toolkit.behavior import behavior_change

    tables, kpis = {}, []
    if f.behavior.empty:
        return 0, tables, kpis
    pairs = _behavior_pairs(f)
    n_people = _people(pairs)
    if _state(n_people, m) == "ok":
        change = behavior_change(f.behavior, instruments=f.instruments)
        key = pairs["rater"].astype("str") + "|" + pairs["wave_to"]
        counts = pairs["participant_id"].astype("str").groupby(key).nunique()
        change_key = change["rater"].astype("str") + "|" + change["wave_to"].astype("str")
        change = _flag(
            change, change_key.map(counts).fillna(0), m, ["rater", "wave_from", "wave_to"],
            hide=hide.get("behavior", ()), key=change_key,
        )  # fmt: skip
        tables["behavior"] = change
        cols = ["rater", "wave_to", "estimate", "n_people", "suppressed"]
        for rater, wave, est, n, hidden in change[cols].to_numpy():
            key = f"behavior_{rater}_{wave}"
            kpis.append(_kpi("behavior", key, est, "change", n, m, hidden=hidden))
    return n_people, tables, kpis


def _selected_units(units: pd.DataFrame) -> pd.DataFrame:
    """Level 4's selected units: the trained ones among ``units``, or all of them when none
    was trained (the IKM of units never trained is what the trained ones are compared with)."""
    trained = (_unit_cohort(units) != NOT_TRAINED).to_numpy()
    return units[trained] if trained.any() else units


def comparison_units(data: EvaluationData, *, unit=None, cohort=None, **_session_filters):
    """The units whose IKM the results tab shows beside the selection's.

    The selected units are the trained units the unit and cohort filters keep (all of the
    kept units when none of them was trained). The comparison units are the units never
    trained outside them; when there are none, the units outside the selection. Session
    filters do not change either group (the IKM is measured per unit).

    Parameters
    ----------
    data : EvaluationData
        The whole evaluation, as returned by :func:`toolkit.data.load`.
    unit, cohort : str or list of str, optional
        As in :func:`filter_data`; the other filters are accepted and ignored.

    Returns
    -------
    list of str
        Unit ids, sorted; empty when every unit is in the selection and all were trained.

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> comparison_units(data, unit="U15")
    ['U02', 'U06', 'U10', 'U14', 'U18', 'U20']
    >>> comparison_units(data) == comparison_units(data, method="workshop")
    True
    >>> len(comparison_units(data, cohort="not_trained"))  # the trained units
    14
    """
    _check_data(data)
    kept = filter_data(data, unit=unit, cohort=cohort).units
    chosen = set(_selected_units(kept)["unit_id"].astype("str"))
    ids = data.units["unit_id"].astype("str")
    outside = ~ids.isin(chosen)
    never = outside & (_unit_cohort(data.units) == NOT_TRAINED)
    if never.any():
        return sorted(ids[never].tolist())
    return sorted(ids[outside & ~ids.isin(kept["unit_id"].astype("str"))].tolist())


def _group_kind(units: pd.DataFrame) -> str:
    """``"trained"``, ``"not_trained"`` or ``"other"`` (a mix) for a group of units."""
    if units.empty:
        return "none"
    cohorts = _unit_cohort(units)
    if (cohorts == NOT_TRAINED).all():
        return "not_trained"
    return "trained" if (cohorts != NOT_TRAINED).all() else "other"


def _results(f: EvaluationData, m: int, hide, comparison: EvaluationData | None = None):
    from toolkit.results import ikm

    tables, kpis = {}, []
    chosen = _selected_units(f.units)
    responses = f.ikm_responses[_keep(f.ikm_responses, "unit_id", chosen["unit_id"])]
    others = comparison.units if comparison is not None else f.units.iloc[:0]
    cohorts = _unit_cohort(chosen).unique().tolist()
    first = cohorts[0] if len(cohorts) == 1 and cohorts[0] != NOT_TRAINED else ""
    groups = pd.DataFrame({
        "group": ["selected", "comparison"],
        "kind": [_group_kind(chosen), _group_kind(others)],
        "n_units": [len(chosen), len(others)],
        "first_trained": [first, ""],
    })  # fmt: skip
    n_resp = len(responses)
    if _state(n_resp, m) != "ok":
        return n_resp, tables, kpis
    raw = ikm(responses, by="period")
    out = _flag(raw, raw["n"], m, ["period"], hide=hide.get("ikm", ()), key="period")
    tables["ikm"], tables["ikm_groups"] = out, groups
    periods = out["period"].astype("str")
    versus = pd.DataFrame({
        "period": periods.to_numpy(), "n": out["n"].to_numpy(), "converted": out["converted"],
        "grade": out["grade"].to_numpy(), "n_people": out["n_people"].to_numpy(),
        "suppressed": out["suppressed"].to_numpy(dtype=bool),
    })  # fmt: skip
    versus[["n_comparison", "converted_comparison", "gap"]] = np.nan
    versus["comparison_suppressed"] = versus["suppressed"]
    if comparison is not None and len(comparison.ikm_responses):
        craw = ikm(comparison.ikm_responses, by="period")
        cperiods = craw["period"].astype("str")
        hidden = set(periods[out["suppressed"].to_numpy(dtype=bool)])  # the selection's hidden
        hidden |= {str(k) for k in hide.get("ikm_comparison", ())}  # and the guard's
        if "" in hide.get("ikm_comparison_all", ()):
            hidden |= set(cperiods)
        cout = _flag(craw, craw["n"], m, ["period"], hide=hidden, key="period")
        tables["ikm_comparison"] = cout
        at = cout.assign(period=cperiods).set_index("period")
        versus["n_comparison"] = periods.map(at["n"]).to_numpy(dtype="float64")
        versus["converted_comparison"] = periods.map(at["converted"]).to_numpy(dtype="float64")
        versus["gap"] = versus["converted"] - versus["converted_comparison"]
        versus["comparison_suppressed"] = (
            periods.map(at["suppressed"]).astype("boolean").fillna(True).to_numpy(dtype=bool)
        )
    tables["ikm_versus"] = versus
    shown = versus[~versus["suppressed"].to_numpy()]
    if len(shown):
        for suffix, row in (("first", shown.iloc[0]), ("latest", shown.iloc[-1])):
            kpis.append(
                _kpi("results", f"ikm_{suffix}", row["converted"], "index", row["n"], m,
                     row["period"])
            )  # fmt: skip
        for suffix, row in (("first", shown.iloc[0]), ("latest", shown.iloc[-1])):
            key = f"ikm_comparison_{suffix}"
            if "ikm_comparison" not in tables:  # no comparison units: a number that does not exist
                kpis.append(_kpi("results", key, None, "index", 0, 0))
                continue
            n = 0 if pd.isna(row["n_comparison"]) else row["n_comparison"]
            kpis.append(
                _kpi("results", key, row["converted_comparison"], "index", n, m, row["period"],
                     hidden=row["comparison_suppressed"])
            )  # fmt: skip
    return n_resp, tables, kpis


def _participation(f: EvaluationData, m: int, hide):
    from toolkit.participation import attendance_summary

    tables, kpis = {}, []
    n_people = _people(f.enrollments)
    if _state(n_people, m) == "ok":
        args = (f.enrollments, f.sessions)
        overall = attendance_summary(*args, participants=f.participants, min_group=m)
        tables["participation"] = overall
        by = attendance_summary(*args, participants=f.participants, by="schedule", min_group=m)
        hidden = [str(h) for h in hide.get("participation_by_schedule", ())]
        force = by["schedule"].astype("str").isin(hidden).to_numpy()
        by = suppress(by, "n_participants", min_group=m, keep=["schedule"], force=force)
        tables["participation_by_schedule"] = by  # schedules add up to the overall row
        row = overall.iloc[0]
        kpis = [
            _kpi("participation", k, row[c], kind, n_people, m)
            for k, c, kind in _KPIS["participation"]
        ]
    return n_people, tables, kpis


_SECTION_FUNCTIONS = {
    "reaction": _reaction,
    "learning": _learning,
    "behavior": _behavior,
    "results": _results,
    "participation": _participation,
}


#: The table whose single cell (key "") is each tab's whole population.
_TOTALS = {"reaction": "reaction", "learning": "learning", "behavior": "behavior_all",
           "results": "ikm_all", "participation": "participation"}  # fmt: skip


def _overview(f: EvaluationData, m: int, hidden: bool) -> list[dict]:
    """The overview's counts for the selection ``f`` (see :data:`OVERVIEW` and the labels
    ``help_n_*``), all hidden when fewer than ``m`` people were invited or ``hidden``."""
    enr = f.enrollments
    went = enr[(pd.to_numeric(enr["attended_jp"]) > 0).to_numpy()]
    units = went[["participant_id"]].merge(
        f.participants[["participant_id", "unit_id"]], on="participant_id", how="left"
    )["unit_id"]
    invited = _people(enr)
    counts = {
        "n_units": units.nunique(),
        "n_sessions": went["session_id"].nunique(),
        "n_participants": invited,
        "n_attended": _people(went),
    }
    # nobody invited: true zeros, which describe nobody; otherwise the invited are the base
    floor = 0 if invited == 0 else m
    return [
        _kpi("overview", key, counts[key], "count", invited, floor, hidden=hidden and invited > 0)
        for key in OVERVIEW
    ]


def _summaries(
    data: EvaluationData, m: int, hide, comparison: EvaluationData | None = None
) -> dict[str, pd.DataFrame]:
    # the people invited are the participation tab's total: the overview hides with it
    kpis = _overview(data, m, "" in hide.get(_TOTALS["participation"], ()))
    status, tables = [], {}
    for section, compute in _SECTION_FUNCTIONS.items():
        guarded = "" in hide.get(_TOTALS[section], ())
        args = (data, m, {} if guarded else hide)
        if section == "results":
            args = (*args, comparison)
        n_people, found, rows = compute(*args)
        state = _state(n_people, m)
        if state == "ok" and guarded:
            state, found = "suppressed", {}
        if state == "ok" and not found:
            state = "no_data"
        if state == "suppressed":
            rows = [_kpi(section, key, None, kind, n_people, m) for key, _, kind in _KPIS[section]]
            rows = [{**r, "suppressed": True} for r in rows]
        status.append({"section": section, "n_people": int(n_people), "state": state})
        tables.update(found)
        kpis.extend(rows)
    kpi = pd.DataFrame(kpis).astype({"key": "str", "kind": "str", "detail": "str"})
    return {"status": pd.DataFrame(status), "kpi": kpi, **tables}


def summaries(
    data: EvaluationData,
    *,
    min_group: int = MIN_GROUP,
    comparison: EvaluationData | None = None,
) -> dict[str, pd.DataFrame]:
    """Key numbers and tables of every tab, from the toolkit's analyses, small groups hidden.

    This protects the tables of one selection on their own (see :func:`toolkit.explore.summarize`
    for the explorer's selections, which also guards against subtracting other selections).

    Parameters
    ----------
    data : EvaluationData
        Usually the output of :func:`filter_data`.
    min_group : int, default :data:`toolkit.disclosure.MIN_GROUP` (5)
        Fewest distinct people (IKM: respondents) a shown number may rest on.
    comparison : EvaluationData, optional
        The comparison units of the results tab, e.g. ``filter_data(whole,
        unit=comparison_units(whole, **filters))`` (what :func:`~toolkit.explore.summarize`
        passes); only their IKM responses are used. Without it the comparison cards are
        NaN.

    Returns
    -------
    dict of str to DataFrame
        Always:

        * ``"status"``: one row per tab of :data:`SECTIONS`: ``section``, ``n_people``
          (distinct participants in its data; respondents for ``results``) and ``state``:
          ``"ok"``, ``"suppressed"`` (fewer than ``min_group`` people, or hidden by the
          differencing guard of :func:`~toolkit.explore.summarize`) or ``"no_data"``;
        * ``"kpi"``: the key numbers, one row each: ``section``, ``key``, ``value`` (NaN when
          suppressed), ``kind`` (how to format it, see :func:`format_number`), ``detail``
          (the IKM's quarter), ``n_people`` and ``suppressed``. A suppressed tab keeps its
          keys with ``suppressed`` True. The overview counts (section ``"overview"``, keys
          :data:`OVERVIEW`) describe the selection's enrolments: ``n_units``, units with at
          least one person who attended (``attended_jp`` > 0) a kept session;
          ``n_sessions``, kept sessions at least one kept person attended;
          ``n_participants``, distinct kept people invited to a kept session;
          ``n_attended``, distinct kept people who attended one. Their ``n_people`` is
          ``n_participants``: all four are hidden when 1 to ``min_group`` - 1 people were
          invited (or the participation tab is hidden by the guard), and are true zeros
          when nobody was.

        For each tab whose state is ``"ok"``, the toolkit's own tables:

        * ``"reaction_items"``: :func:`toolkit.reaction.likert_summary` of the Likert items
          (``reaction_top2`` is the mean of their ``top2_pct``); ``"reaction_nps"``:
          :func:`toolkit.reaction.net_promoter_score` of the 0–10 item;
        * ``"learning"`` and ``"learning_by_method"``: :func:`toolkit.learning.normalized_gain`
          of the complete pairs of :func:`toolkit.learning.prepost_scores`, overall and by
          method; ``"learning_scores"``: those pairs (input of the figure);
        * ``"behavior"``: :func:`toolkit.behavior.behavior_change` (both raters, baseline
          against each follow-up);
        * ``"ikm"``: :func:`toolkit.results.ikm` by ``period`` over the respondents of the
          selected units: the kept units that were trained (all kept units when none was);
          ``"ikm_comparison"``: the same over the ``comparison`` units (a period is hidden
          there whenever it is hidden for the selected units); ``"ikm_versus"``: both side
          by side, one row per period of ``"ikm"`` (``n``, ``converted``, ``grade``,
          ``n_people`` (respondents, as in ``"ikm"``), ``n_comparison``,
          ``converted_comparison``, ``gap`` = selected - comparison, ``suppressed``,
          ``comparison_suppressed``); ``"ikm_groups"``: the two groups'
          ``kind`` (``trained``, ``not_trained``, ``other``, ``none``), ``n_units`` and
          ``first_trained`` (the selected units' cohort when they share one, else "");
        * ``"participation"`` and ``"participation_by_schedule"``:
          :func:`toolkit.participation.attendance_summary`, overall and by schedule.

        Tables of groups go through :func:`toolkit.disclosure.suppress`: they get
        ``n_people`` (distinct participants behind each row; for participation
        ``n_participants``), ``suppressed``, ``suppression`` and ``total_suppressed``; in a
        suppressed row every number, ``n_people`` included, is NaN. Rows that add up to
        the tab's total (methods in learning, schedules in participation) also get
        complementary suppression: a small method is hidden with the next-smallest, so
        that the overall row minus the shown rows gives back no hidden one.

    Examples
    --------
    >>> import toolkit
    >>> from toolkit.data import load
    >>> data = load(toolkit.SAMPLE_DATA)
    >>> out = summaries(filter_data(data, unit="U02"))
    >>> out["status"]
               section  n_people       state
    0         reaction         0     no_data
    1         learning         0     no_data
    2         behavior         0     no_data
    3          results      1864          ok
    4    participation         0     no_data
    >>> u15 = summaries(filter_data(data, unit="U15", method="workshop"))["kpi"]
    >>> u15[u15["section"] == "overview"][["key", "value"]]
                 key  value
    0        n_units    1.0
    1     n_sessions    3.0
    2  n_participants    5.0
    3     n_attended    5.0
    >>> few = summaries(filter_data(data, unit="U04", method="seminar"))
    >>> few["status"].iloc[0].to_dict()
    {'section': 'reaction', 'n_people': 3, 'state': 'suppressed'}
    """
    m = _check_min_group(min_group)
    _check_data(data)
    if comparison is not None:
        _check_data(comparison)
    return _summaries(data, m, {}, comparison)


# --------------------------------------------------------------------------- formatting
_DIGITS = {"pct": 1, "share": 1, "nps": 1, "score": 1, "ratio": 2, "change": 2, "index": 2}


def format_number(value, kind: str, *, lang: str = "id") -> str:
    """Format a key number for people: decimal comma and thousands dots in Indonesian.

    Parameters
    ----------
    value : float
        The number, in the unit of the toolkit's output.
    kind : {"pct", "share", "nps", "score", "ratio", "change", "index", "count"}
        ``"pct"``: a percentage 0–100; ``"share"``: a proportion 0–1, shown as a
        percentage; ``"nps"`` and ``"change"``: signed; ``"score"``: one decimal;
        ``"ratio"``, ``"index"``: two decimals; ``"count"``: a whole number.
    lang : {"id", "en"}
        Language of the separators.

    Returns
    -------
    str
        "–" for a missing value.

    Examples
    --------
    >>> format_number(0.93146, "share"), format_number(0.93146, "share", lang="en")
    ('93,1%', '93.1%')
    >>> format_number(29146.0, "count"), format_number(37.57, "nps", lang="en")
    ('29.146', '+37.6')
    >>> format_number(float("nan"), "index")
    '–'
    """
    check_one_of("kind", kind, (*_DIGITS, "count"))
    check_one_of("lang", lang, LANGUAGES)
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    if kind == "count":
        text = f"{value:,.0f}"
    else:
        sign = "+" if kind in {"nps", "change"} else ""
        shown = 100 * value if kind == "share" else value
        text = f"{shown:{sign},.{_DIGITS[kind]}f}" + ("%" if kind in {"pct", "share"} else "")
    return localize_numbers(text, lang)
