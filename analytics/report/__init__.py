"""Meeting reports (issue 10): a PDF (A4) and an Excel workbook for monev meetings, built from the data
for a scope, a window, a survey pair, a rule set and a language — never from the live app.

    request = content.request_for(con, kanwil=…, office=…, start=…, end=…)   # or content.Request(…)
    report = content.collect(con, request)          # every figure, from queries + present.views
    pdf.build_pdf(report) / xlsx.build_xlsx(report) # bytes

No Streamlit here: the Laporan page (ui/pages/laporan.py) and the CLI (`python -m analytics report`)
both call these functions. Integrity signals are another feature: Report.integrity is its hook.
"""
from analytics.report.content import Report, Request, collect, request_for  # noqa: F401


def build(con, request: Request, fmt: str, registry=None) -> bytes:
    """The report in `fmt` ('pdf' or 'xlsx') as bytes."""
    from analytics.report import pdf, xlsx

    report = collect(con, request, registry)
    return pdf.build_pdf(report) if fmt == "pdf" else xlsx.build_xlsx(report)
