"""Server-rendered SVG charts for the dashboard.

The markup is built here with ``format_html`` (every label and number escaped) and inserted into the page as
is. Colours are SVG presentation attributes (``fill=``) and classes styled in ``static/css/portal.css``; there is
no ``style=`` attribute and no script, so a strict Content-Security-Policy without inline styles holds. Every
chart has a ``<title>``/``<desc>`` and a ``<title>`` per bar, and shows its numbers as text, so it reads
without colours too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from pos_portal.russian import plural
from reports.compliance import STATUS_ORDER, Status, sessions_word

#: Fill colours of the statuses (Bootstrap's success / primary / warning / danger).
STATUS_FILL = {
    Status.DONE: "#198754",
    Status.ON_TRACK: "#0d6efd",
    Status.AT_RISK: "#ffc107",
    Status.VIOLATED: "#dc3545",
}
BAR_FILL = "#0d6efd"
AXIS_STROKE = "#adb5bd"

MONTH_NAMES = {
    9: "сентябрь",
    10: "октябрь",
    11: "ноябрь",
    12: "декабрь",
    1: "январь",
    2: "февраль",
    3: "март",
    4: "апрель",
    5: "май",
    6: "июнь",
    7: "июль",
    8: "август",
}


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar (short)
    value: int
    title: str  # tooltip and accessible name
    fill: str = BAR_FILL
    css_class: str = ""


def _svg(chart_id: str, width: int, height: int, title: str, description: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
        body=body,
    )


def column_chart(bars: list[Bar], *, chart_id: str, title: str, description: str) -> SafeString:
    """Vertical bars with the value above each bar and the label under it."""
    width, height = 600, 220
    left, right, top, bottom = 10, 10, 22, 28
    plot_width, plot_height = width - left - right, height - top - bottom
    slot = plot_width / max(1, len(bars))
    bar_width = slot * 0.62
    peak = max((bar.value for bar in bars), default=0) or 1
    baseline = top + plot_height
    parts = []
    for index, bar in enumerate(bars):
        bar_height = round(plot_height * bar.value / peak, 1)
        x = round(left + index * slot + (slot - bar_width) / 2, 1)
        centre = round(left + index * slot + slot / 2, 1)
        parts.append(
            format_html(
                '<g class="chart-item"><title>{title}</title>'
                '<rect class="chart-bar {css}" x="{x}" y="{y}" width="{bw}" height="{bh}" fill="{fill}"></rect>'
                '<text class="chart-value" x="{cx}" y="{vy}" text-anchor="middle">{value}</text>'
                '<text class="chart-label" x="{cx}" y="{ly}" text-anchor="middle">{label}</text></g>',
                title=bar.title,
                css=bar.css_class,
                x=x,
                y=round(baseline - bar_height, 1),
                bw=round(bar_width, 1),
                bh=bar_height,
                fill=bar.fill,
                cx=centre,
                vy=round(baseline - bar_height - 5, 1),
                value=bar.value,
                ly=baseline + 18,
                label=bar.label,
            )
        )
    axis = format_html(
        '<line class="chart-axis" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{stroke}"></line>',
        x1=left,
        x2=width - right,
        y=baseline,
        stroke=AXIS_STROKE,
    )
    return _svg(chart_id, width, height, title, description, format_html("{}{}", axis, SafeString("".join(parts))))


def row_chart(bars: list[Bar], *, chart_id: str, title: str, description: str) -> SafeString:
    """Horizontal bars: the label at the left, the value after the bar."""
    row_height, label_width, width = 34, 130, 600
    height = row_height * max(1, len(bars)) + 6
    plot_width = width - label_width - 50
    peak = max((bar.value for bar in bars), default=0) or 1
    parts = []
    for index, bar in enumerate(bars):
        y = 6 + index * row_height
        bar_width = round(plot_width * bar.value / peak, 1)
        parts.append(
            format_html(
                '<g class="chart-item"><title>{title}</title>'
                '<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect class="chart-bar {css}" x="{bx}" y="{y}" width="{bw}" height="{bh}" fill="{fill}"></rect>'
                '<text class="chart-value" x="{vx}" y="{ty}">{value}</text></g>',
                title=bar.title,
                lx=label_width - 8,
                ty=y + row_height / 2 + 2,
                label=bar.label,
                css=bar.css_class,
                bx=label_width,
                y=y + 4,
                bw=bar_width,
                bh=row_height - 12,
                fill=bar.fill,
                vx=round(label_width + bar_width + 6, 1),
                value=bar.value,
            )
        )
    return _svg(chart_id, width, height, title, description, SafeString("".join(parts)))


def sessions_per_month_chart(months: list[tuple[int, str, int]], year_label: str) -> SafeString:
    bars = [
        Bar(
            label=short,
            value=count,
            title=f"{MONTH_NAMES[month]}: {count} {sessions_word(count)}",
        )
        for month, short, count in months
    ]
    total = sum(count for _month, _short, count in months)
    return column_chart(
        bars,
        chart_id="chart-months",
        title=f"Заседания, проведённые по месяцам {year_label} уч. года",
        description=f"Всего по району: {total} {sessions_word(total)} с подписанным протоколом, "
        + ", ".join(f"{MONTH_NAMES[month]} — {count}" for month, _short, count in months)
        + ".",
    )


def status_chart(by_status: list[tuple[Status, int]]) -> SafeString:
    counts = dict(by_status)
    bars = [
        Bar(
            label=status.label,
            value=counts.get(status, 0),
            title=f"{status.label}: {counts.get(status, 0)} "
            + plural(counts.get(status, 0), "сообщество", "сообщества", "сообществ"),
            fill=STATUS_FILL[status],
            css_class=f"chart-bar-{status.value}",
        )
        for status in STATUS_ORDER
    ]
    return row_chart(
        bars,
        chart_id="chart-statuses",
        title="Сообщества по статусу выполнения п. 4.2",
        description=", ".join(f"{bar.label} — {bar.value}" for bar in bars) + ".",
    )
