"""Labels of :mod:`toolkit.methods`, kept apart so that :mod:`toolkit.plots.methods` can
use them without importing the analysis module (which re-exports the plot lazily)."""

from __future__ import annotations

#: Labels of this module (see :mod:`toolkit.i18n`).
LABELS: dict[str, dict[str, str]] = {
    "raw": {"id": "Tanpa penyesuaian", "en": "Raw"},
    "adjusted": {"id": "Disesuaikan", "en": "Adjusted"},
    "cluster_ci": {"id": "IK 95% per sesi (klaster)", "en": "95% CI, clustered by session"},
    "iid_ci": {"id": "IK 95% jika peserta independen", "en": "95% CI if participants independent"},
    "top2": {"id": "Top-2 box (proporsi)", "en": "Top-2 box (share)"},
    "mean_rating": {"id": "Rata-rata jawaban", "en": "Mean answer"},
    "gain": {"id": "Kenaikan nilai tes (poin persentase)", "en": "Test-score gain (points)"},
    "behavior_change": {
        "id": "Perubahan penilaian atasan (poin, skala 1–5)",
        "en": "Change in supervisor rating (points, 1–5)",
    },
    "difference": {"id": "Selisih terhadap", "en": "Difference from"},
    "model": {"id": "Model", "en": "Model"},
}
