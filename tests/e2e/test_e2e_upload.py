"""Upload a real-looking export of a NEW office through the file chooser, create the office, save,
then find the office and its index on Ringkasan. The expected index is computed in the test from the
file it wrote (export_builder: Fractions, half-up), not by the app's code."""
from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page, expect

from e2e_support import (assert_no_errors, dataframe_text, open_page, run_and_wait, screenshot, select_option,
                         wait_for_app, widget)
from export_builder import write_export

NO_KANWIL = "(tanpa Kanwil)"     # the Kanwil filter's entry for offices created by an upload


def table_rows(page: Page, index: int = 0) -> list[dict[str, str]]:
    """The visible rows of an st.dataframe as dicts keyed by header (accessible table)."""
    lines = dataframe_text(page, index).splitlines()[1:]
    header = lines[0].split(" | ")
    return [dict(zip(header, line.split(" | "))) for line in lines[1:]]


def as_number(text: str) -> Decimal:
    """A table cell as a number, whichever decimal mark it shows (87,56 · 87.56 · 87.56 *)."""
    text = text.replace("*", "").strip().replace("−", "-")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def test_upload_new_office_then_see_it_on_ringkasan(page, server, tmp_path):
    export = write_export(tmp_path)
    open_page(page, server.page_url("unggah"))
    uploader = widget(page, "upload_files")
    expect(uploader).to_be_visible()
    # The file chooser itself: the uploader's <input type=file>, as a user's pick would fill it.
    file_input = uploader.locator("input[type='file']")
    expect(file_input).to_have_count(1)
    run_and_wait(page, lambda: file_input.set_input_files(str(export.path)))
    # The chip shows a shortened name; its remove button carries the whole one.
    expect(uploader.get_by_role("button", name=f"Remove {export.path.name}")).to_be_visible()
    expect(page.locator("[data-testid^='stAlertContent']").filter(
        has_text=f"{export.path.name}: {export.n} baris dibaca")).to_be_visible()

    # Unknown office: the page says so and offers to create it; nothing is saved before confirming.
    create = widget(page, "upload_create_offices")
    expect(create).to_be_visible()
    # (Not get_by_text(office): the rejected-rows grid's accessible table, hidden under its canvas,
    # names the office too, and appears at an unpredictable moment.)
    warnings = page.locator("[data-testid='stAlertContentWarning']")
    expect(warnings.filter(has_text="Kantor berikut belum ada").filter(has_text=export.office)).to_be_visible()
    # … and, before the file's summary, what would be lost as it stands: its rows, for that office.
    expect(warnings.filter(has_text="yang tidak akan ikut diimpor").filter(has_text=export.office)).to_be_visible()
    expect(widget(page, "upload_confirm").get_by_role("button")).to_be_disabled()
    checkbox = create.get_by_role("checkbox")
    run_and_wait(page, lambda: create.locator("label").first.click())
    expect(checkbox).to_be_checked()
    assert_no_errors(page)
    expect(page.locator("[data-testid='stAlertContentSuccess']").filter(
        has_text=f"{export.path.name}: {export.n} baris dibaca, {export.n} valid, 0 ditolak")).to_be_visible()
    screenshot(page, "unggah_preview")

    confirm = widget(page, "upload_confirm").get_by_role("button")
    expect(confirm).to_be_enabled()
    run_and_wait(page, confirm.click)
    # Saving ends in st.rerun(): wait for the message of the run after it, then for that run's end.
    expect(page.locator("[data-testid='stAlertContentSuccess']").filter(
        has_text=f"{export.n} responden diimpor")).to_be_visible()
    wait_for_app(page)
    assert_no_errors(page)
    screenshot(page, "unggah_saved")

    # Ringkasan for the new office's Kanwil group and month, set through the URL (as a shared link).
    open_page(page, server.page_url("", kanwil=NO_KANWIL, end=export.month))
    assert_no_errors(page)
    expect(widget(page, "kanwil").get_by_role("combobox")).to_have_value(NO_KANWIL)
    expect(widget(page, "end").get_by_role("combobox")).to_have_value(export.month)
    rows = [r for r in table_rows(page) if r.get("Kantor", "").lstrip("▶ ") == export.office]
    assert len(rows) == 1, f"{export.office} not in the overview table: {table_rows(page)}"
    row = rows[0]
    assert as_number(row["IKM"]) == as_number(export.ikm_converted), row
    assert as_number(row["IPK"]) == as_number(export.ipk_converted), row
    assert row["n IKM"] == str(export.n) and row["n IPK"] == str(export.n), row
    # The grid draws its cells on a canvas; the Indonesian-formatted figure in the DOM is the tile of
    # the group (this office alone), e.g. "86,06 · B Baik".
    main = page.locator("[data-testid='stMain']")
    expect(main.locator("[data-testid='stMetric']").first).to_contain_text(export.ikm_converted)
    expect(main.locator("[data-testid='stMetric']").nth(1)).to_contain_text(export.ipk_converted)
    screenshot(page, "ringkasan_uploaded_office")


def test_upload_cancel_saves_nothing(page, server, tmp_path):
    """An export of a known office, previewed then cancelled: nothing is saved, the preview goes."""
    export = write_export(tmp_path, n=12, seed=7, office="Lapas Kelas I Malang",
                          file_name="ekspor_lapas_malang_batal.csv")
    open_page(page, server.page_url("unggah"))
    file_input = widget(page, "upload_files").locator("input[type='file']")
    run_and_wait(page, lambda: file_input.set_input_files(str(export.path)))
    summary = page.locator("[data-testid^='stAlertContent']").filter(
        has_text=f"{export.path.name}: {export.n} baris dibaca, {export.n} valid")
    expect(summary).to_be_visible()
    expect(widget(page, "upload_create_offices")).to_have_count(0)      # the office is known
    cancel = widget(page, "upload_cancel").get_by_role("button")
    run_and_wait(page, cancel.click)
    expect(page.locator("[data-testid='stAlertContentSuccess']").filter(
        has_text="tidak ada yang disimpan")).to_be_visible()
    wait_for_app(page)
    assert_no_errors(page)
    expect(summary).to_have_count(0)
    expect(widget(page, "upload_confirm")).to_have_count(0)
    expect(page.get_by_text("responden diimpor")).to_have_count(0)


def test_a_file_without_an_office_column_asks_for_the_office_from_the_master(page, server, tmp_path):
    """The refusal names the 'Kantor' box; choosing a master office there re-runs the preview, and
    saving imports every row for that office."""
    office, n = "Lapas Kelas I Malang", 9
    header = ["Tanggal"] + [f"IKM{i}" for i in range(1, 22)]
    rows = [[f"2023-01-{13 + r}"] + [str(1 + (r + i) % 4) for i in range(21)] for r in range(n)]
    path = tmp_path / "ekspor_tanpa_kolom_kantor.csv"
    path.write_text("\n".join(",".join(row) for row in [header, *rows]) + "\n", encoding="utf-8")
    open_page(page, server.page_url("unggah"))
    file_input = widget(page, "upload_files").locator("input[type='file']")
    run_and_wait(page, lambda: file_input.set_input_files(str(path)))
    refusal = page.locator("[data-testid='stAlertContentError']").filter(has_text=path.name)
    expect(refusal).to_contain_text("tidak ada kolom kantor")
    expect(refusal).to_contain_text("pilih kantor di kotak 'Kantor' di atas")
    expect(widget(page, "upload_confirm")).to_have_count(0)

    select_option(page, "upload_office", "Kantor", office)
    expect(refusal).to_have_count(0)
    expect(page.locator("[data-testid='stAlertContentSuccess']").filter(
        has_text=f"{path.name}: {n} baris dibaca, {n} valid, 0 ditolak")).to_be_visible()
    assert_no_errors(page)
    confirm = widget(page, "upload_confirm").get_by_role("button")
    run_and_wait(page, confirm.click)
    expect(page.locator("[data-testid='stAlertContentSuccess']").filter(
        has_text=f"{n} responden diimpor")).to_be_visible()
    wait_for_app(page)
    assert_no_errors(page)
