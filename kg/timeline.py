"""A timeline figure of dated statements (matplotlib): one row per thing, one mark per source
document that dates it, drawn as precisely as the source dates it (a dot for a day, a solid bar
for a month, a faded bar for a year), so two documents that date one thing differently show
two colours on its row."""

from __future__ import annotations

from typing import Any, Sequence

from .analysis import date_span

#: The classes drawn, one band each, in this order.
LANES = ("Pressure", "Agreement", "Policy", "PolicyReversal")
LABEL_CHARS = 55


def figure(events: Sequence[dict[str, Any]], titles: dict[str, str] | None = None,
           zoom: tuple[str, str] | None = None, lanes: Sequence[str] = LANES) -> Any:
    """A matplotlib Figure of ``events`` (rows of :func:`kg.analysis.timeline_of`: thing, label,
    class, date, file); ``titles`` names the files in the legend; ``zoom`` (first, last ISO
    date) adds a second panel on that period."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    rows = [e for e in events if e.get("class") in lanes and e.get("date")]
    if not rows:
        raise ValueError("no dated statement of the classes " + ", ".join(lanes))
    rows.sort(key=lambda e: (list(lanes).index(e["class"]), date_span(e["date"])[0]))
    things = list(dict.fromkeys(e["thing"] for e in rows))
    first = {e["thing"]: e for e in reversed(rows)}
    y = {thing: i for i, thing in enumerate(things)}
    files = sorted({e["file"] for e in rows})
    colour = {f: plt.cm.tab10(i % 10) for i, f in enumerate(files)}
    panels = 2 if zoom else 1
    fig, axes = plt.subplots(1, panels, sharey=True, figsize=(14 if zoom else 9, 0.32 * len(things) + 2),
                             gridspec_kw={"width_ratios": [1, 1.6][:panels]}, squeeze=False)
    axes = list(axes[0])
    for ax in axes:
        for e in rows:
            start, end = (pd.Timestamp(d) for d in date_span(e["date"]))
            row = y[e["thing"]] + (files.index(e["file"]) - (len(files) - 1) / 2) * 0.08
            if len(e["date"]) == 10:
                ax.plot(start, row, "o", color=colour[e["file"]], markersize=6)
            else:
                ax.plot([start, end + pd.Timedelta(days=1)], [row, row], "-", color=colour[e["file"]], linewidth=5,
                        alpha=0.9 if len(e["date"]) == 7 else 0.35, solid_capstyle="butt")
        for i in range(1, len(things)):
            if first[things[i]]["class"] != first[things[i - 1]]["class"]:
                ax.axhline(i - 0.5, color="grey", linewidth=0.6)
        ax.grid(axis="x", alpha=0.3)
    whole = axes[0]
    whole.set_yticks(range(len(things)))
    whole.set_yticklabels([f"{first[t]['class']}: {_short(first[t]['label'])}" for t in things], fontsize=8)
    whole.invert_yaxis()
    whole.set_title("Dated " + ", ".join(lanes))
    if zoom:
        axes[1].set_xlim(pd.Timestamp(zoom[0]), pd.Timestamp(zoom[1]))
        axes[1].xaxis.set_major_locator(mdates.MonthLocator())
        axes[1].xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
        axes[1].set_title(f"{zoom[0]} to {zoom[1]}")
    titles = titles or {}
    handles = [plt.Line2D([], [], color=colour[f], linewidth=5, label=f"{f}: {_short(titles.get(f, ''), 60)}")
               for f in files]
    fig.legend(handles=handles, title="Source document", loc="upper center", ncol=2, fontsize=8,
               bbox_to_anchor=(0.5, 0))
    precision = [plt.Line2D([], [], color="grey", marker="o", linestyle="", label="exact day"),
                 plt.Line2D([], [], color="grey", linewidth=5, alpha=0.9, label="month"),
                 plt.Line2D([], [], color="grey", linewidth=5, alpha=0.35, label="year only")]
    axes[-1].legend(handles=precision, title="Date precision", loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
