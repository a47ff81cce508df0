"""The monthly brief as a self-contained HTML page (inline SVG charts) or a PDF (fpdf2),
drawn here rather than by a plotting library: a few bars need no matplotlib."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from fpdf import FPDF

__all__ = ["bar_svg", "brief_html", "brief_pdf"]

_BAR = "#0072B2"


def _n(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal | float):
        return f"{value:,.0f}"
    return f"{value:,}"


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value:+.0%}"


def bar_svg(items: list[tuple[str, Any]], width: int = 640, height: int = 180) -> str:
    """Vertical bars; a suppressed value ("<5") is a hatched stub, never a zero."""
    numbers = [v for _l, v in items if isinstance(v, int | float | Decimal)]
    top = float(max(numbers, default=0)) or 1.0
    step = width / max(len(items), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20}" '
        f'role="img" class="chart">'
    ]
    for i, (label, value) in enumerate(items):
        x = i * step + step * 0.1
        if isinstance(value, int | float | Decimal):
            h = (height - 10) * float(value) / top
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{step * 0.8:.1f}" '
                f'height="{h:.1f}" fill="{_BAR}"><title>{html.escape(label)}: '
                f"{_n(value)}</title></rect>"
            )
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{height - 6}" width="{step * 0.8:.1f}" height="6" '
                f'fill="#bbb"><title>{html.escape(label)}: {html.escape(str(value))}'
                "</title></rect>"
            )
        if len(items) <= 12 or i % max(1, len(items) // 8) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height + 14}" font-size="10">'
                f"{html.escape(label[-5:])}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sections(b: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    def change_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [
            [r["key"].replace("_", " "), _n(r["reports"]), _n(r["previous"]), _pct(r["change"])]
            for r in rows
        ]

    o = b["outcomes"]
    return [
        (
            "Types of scam",
            ["Type", "Reports", "Month before", "Change"],
            change_rows(b["typologies"]),
        ),
        ("Channels", ["Channel", "Reports", "Month before", "Change"], change_rows(b["channels"])),
        (
            "Payment methods",
            ["Method", "Reports", "Month before", "Change"],
            change_rows(b["payment_methods"]),
        ),
        (
            "Cross-border flows",
            ["Victims in", "Infrastructure in", "Reports", "Loss (USD)"],
            [
                [r["victim_country"], r["infra_country"], _n(r["reports"]), _n(r["loss_usd"])]
                for r in b["flows"]
            ],
        ),
        (
            "Largest networks",
            ["Network", "Reports", "Loss (USD)", "Countries"],
            [
                [
                    r["network"],
                    _n(r["reports"]),
                    _n(r["loss_usd"]),
                    " ".join(r["victim_countries"] + r["infra_countries"]),
                ]
                for r in b["networks"]
            ],
        ),
        (
            "Time to act (median hours)",
            ["Request", "From", "To", "Requests", "Request to ack.", "Ack. to execution"],
            [
                [
                    r["type"],
                    r["from_country"],
                    r["to_country"],
                    r["requests"],
                    _n(r["median_request_to_acknowledgement_hours"]),
                    _n(r["median_acknowledgement_to_execution_hours"]),
                ]
                for r in b["action"]
            ],
        ),
        (
            "Freezes and disputes",
            [
                "Reports with a freeze",
                "Frozen (USD)",
                "Returned (USD)",
                "Disputes filed",
                "Flag upheld",
            ],
            [
                [
                    _n(o["reports_with_freeze"]),
                    _n(o["frozen_usd"]),
                    _n(o["returned_usd"]),
                    o["disputes_filed"],
                    o["disputes_upheld"],
                ]
            ],
        ),
    ]


def _title(b: dict[str, Any]) -> str:
    return f"Online scams, {b['period']}: {b['country'] or 'ASEAN region'}"


def _keys(b: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Reports", _n(b["reports"])),
        ("Month before", _n(b["previous_reports"])),
        ("Losses (USD)", _n(b["loss_usd"])),
        (
            "Cross-border share",
            "-" if b["cross_border_share"] is None else f"{b['cross_border_share']:.0%}",
        ),
    ]


def brief_html(b: dict[str, Any]) -> str:
    """One self-contained page: inline CSS and SVG, nothing fetched."""
    keys = "".join(
        f"<div><span>{html.escape(k)}</span><strong>{html.escape(v)}</strong></div>"
        for k, v in _keys(b)
    )
    sections = "".join(
        f"<h2>{html.escape(t)}</h2>" + (_table(h, r) if r else "<p>None.</p>")
        for t, h, r in _sections(b)
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in b["notes"])
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(_title(b))}</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;max-width:52rem;margin:auto;padding:1rem;color:#111}}
.keys{{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem}}
.keys div{{border:1px solid #ccc;border-radius:6px;padding:.5rem}}.keys span{{display:block;color:#555}}
.keys strong{{font-size:1.5rem}}table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left}}svg{{width:100%;height:auto}}</style>
</head><body><h1>{html.escape(_title(b))}</h1>
<p>{b["since"]} to {b["until"]}. Counts below {b["min_count"]} read "&lt;{b["min_count"]}" so that
no victim can be recognised. Generated {b["generated"]} by Tangkal.</p>
<div class="keys">{keys}</div><h2>Reports per day</h2>{bar_svg(b["daily"])}
{sections}{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}</body></html>
"""


def _latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1 only; anything else becomes "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def brief_pdf(b: dict[str, Any]) -> bytes:
    """The same brief on A4 pages, bars drawn with fpdf2's rectangles."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin1(_title(b)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(
        0,
        5,
        _latin1(
            f"{b['since']} to {b['until']}. Counts below {b['min_count']} "
            f"read '<{b['min_count']}'. Generated {b['generated']}."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    for key, value in _keys(b):
        pdf.cell(45, 7, _latin1(f"{key}: {value}"))
    pdf.ln(10)
    _pdf_bars(pdf, b["daily"])
    for title, headers, rows in _sections(b):
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        if not rows:
            pdf.cell(0, 6, "None.", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(text_align="LEFT", line_height=5) as table:
            for row in [headers, *rows]:
                cells = table.row()
                for value in row:
                    cells.cell(_latin1(str(value)))
        pdf.ln(3)
    for note in b["notes"]:
        pdf.multi_cell(0, 5, _latin1(f"Note: {note}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_bars(pdf: FPDF, items: list[tuple[str, Any]]) -> None:
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Reports per day", new_x="LMARGIN", new_y="NEXT")
    x0, y0, w, h = pdf.l_margin, pdf.get_y(), pdf.epw, 40.0
    numbers = [float(v) for _l, v in items if isinstance(v, int | float | Decimal)]
    top = max(numbers, default=0.0) or 1.0
    step = w / max(len(items), 1)
    pdf.set_fill_color(0, 114, 178)
    for i, (_label, value) in enumerate(items):
        if isinstance(value, int | float | Decimal):
            bar = h * float(value) / top
            pdf.rect(x0 + i * step + step * 0.1, y0 + h - bar, step * 0.8, bar, style="F")
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x0, y0 + h, x0 + w, y0 + h)
    pdf.set_font("Helvetica", size=7)
    if items:
        pdf.set_xy(x0, y0 + h + 1)
        pdf.cell(w / 2, 4, _latin1(items[0][0]))
        pdf.cell(w / 2, 4, _latin1(items[-1][0]), align="R")
    pdf.set_xy(x0, y0 + h + 8)
