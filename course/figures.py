"""Figures of the book's own pages, drawn at build time (only this source is committed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

#: Node: (x, y, Indonesian label, English label, role).
NODES = {
    "who": (0.50, 0.86, "Siapa pegawainya\n(motivasi, kemampuan awal,\njabatan, beban kerja)",
            "Who the staff are\n(motivation, prior skill,\nposition, workload)", "confounder"),
    "unit": (0.10, 0.50, "Unit dan programnya\n(topik, anggaran,\ndukungan atasan)",
             "The unit and programme\n(topic, budget,\nsupervisor support)", "confounder"),
    "method": (0.50, 0.16, "Metode pelatihan\n(lokakarya, seminar,\nsimulasi, ...)",
               "Delivery method\n(workshop, seminar,\nsimulation, ...)", "exposure"),
    "outcome": (0.90, 0.50, "Hasil\n(nilai tes, perilaku,\nIKM)",
                "Outcome\n(test score, behaviour,\nIKM)", "outcome"),
}  # fmt: skip
EDGES = [("who", "method"), ("who", "outcome"), ("unit", "method"), ("unit", "outcome"),
         ("method", "outcome")]  # fmt: skip
COLOURS = {"confounder": "#E69F00", "exposure": "#0072B2", "outcome": "#009E73"}  # Okabe-Ito
LEGEND = {
    "id": {"confounder": "penyebab bersama (pengacau)", "exposure": "yang dibandingkan",
           "outcome": "hasil", "causal": "pengaruh yang ingin diukur",
           "backdoor": "jalur belakang: membuat perbandingan bias"},
    "en": {"confounder": "common cause (confounder)", "exposure": "what is compared",
           "outcome": "outcome", "causal": "the effect we want",
           "backdoor": "back-door path: biases the comparison"},
}  # fmt: skip


def causal_diagram(lang: str, path: Path) -> Path:
    """Selection into methods as a causal diagram (PNG, 150 dpi) with a legend.

    Who the staff are and which unit and programme they come from decide both the method
    they attend and their outcomes: comparing methods directly mixes the method's effect
    with these back-door paths.
    """
    words = LEGEND[lang]
    fig, ax = plt.subplots(figsize=(8.4, 5.6))
    ax.set_xlim(-0.08, 1.08)
    ax.set_ylim(-0.12, 1.02)
    ax.axis("off")
    half = {"w": 0.145, "h": 0.085}
    for x, y, label_id, label_en, role in NODES.values():
        ax.add_patch(
            FancyBboxPatch((x - half["w"], y - half["h"]), 2 * half["w"], 2 * half["h"],
                           boxstyle="round,pad=0.02", fc="white", ec=COLOURS[role], lw=2.5)
        )  # fmt: skip
        ax.text(x, y, label_id if lang == "id" else label_en, ha="center", va="center",
                fontsize=9)  # fmt: skip
    edge_w, edge_h = half["w"] + 0.035, half["h"] + 0.035  # the box with its padding and a gap

    def edge(x, y, dx, dy):  # where the line from a box's centre leaves the box
        t = min(edge_w / abs(dx) if dx else float("inf"), edge_h / abs(dy) if dy else float("inf"))
        return x + t * dx, y + t * dy

    for a, b in EDGES:
        xa, ya = NODES[a][:2]
        xb, yb = NODES[b][:2]
        start = edge(xa, ya, xb - xa, yb - ya)
        end = edge(xb, yb, xa - xb, ya - yb)
        causal = (a, b) == ("method", "outcome")
        ax.add_patch(
            FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=18,
                            lw=3 if causal else 1.6, color="#0072B2" if causal else "#666666",
                            linestyle="-" if causal else "--", shrinkA=0, shrinkB=0)
        )  # fmt: skip
    handles = [
        plt.Line2D([], [], color=COLOURS[r], lw=0, marker="s", markersize=11, mfc="white",
                   mew=2.5, label=words[r]) for r in ("confounder", "exposure", "outcome")
    ] + [
        plt.Line2D([], [], color="#0072B2", lw=3, label=words["causal"]),
        plt.Line2D([], [], color="#666666", lw=1.6, ls="--", label=words["backdoor"]),
    ]  # fmt: skip
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.16), ncol=2,
              frameon=False, fontsize=9)  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return path
