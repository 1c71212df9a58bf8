"""Column mapping (analytics.mapping) and office-name keys (analytics.domain.offices.name_key)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.domain.instruments import load_registry
from analytics.ingest.mapping import MappingError, map_columns, match_header
from analytics.domain.offices import name_key

REG = load_registry()
IKM, IPK = REG.get("ikm"), REG.get("ipk")


@pytest.mark.parametrize("header,target", [
    ("IKM1", ("ikm", 1)), ("IKM 1", ("ikm", 1)), ("IKM_1", ("ikm", 1)), ("ikm-01", ("ikm", 1)),
    ("IKM21", ("ikm", 21)), ("IPK 8", ("ipk", 8)), ("SPKP1", ("spkp", 1)), ("IPKP_03", ("spkp", 3)),
    ("SPAK 5", ("spak", 5)), ("IPAK2", ("spak", 2)),
])
def test_instrument_codes_in_common_spellings(header, target):
    assert map_columns([header], REG).items == {0: target}


@pytest.mark.parametrize("prefix", ["U", "U0", "P", "Q", "Pertanyaan ", "Unsur "])
def test_shared_and_generic_codes_decided_by_column_count(prefix):
    ikm = map_columns([f"{prefix}{i}" for i in range(1, 22)], REG)
    assert set(ikm.items.values()) == {("ikm", i) for i in range(1, 22)}
    if prefix.startswith("U"):
        skm = map_columns([f"{prefix}{i}" for i in range(1, 10)], REG)
        assert set(skm.items.values()) == {("skm", i) for i in range(1, 10)}


def test_bare_numbers_are_codes_too():
    cmap = map_columns(["No", "Tanggal"] + [str(i) for i in range(1, 22)], REG)
    assert cmap.fields == {"date": 1}
    assert cmap.items[2] == ("ikm", 1) and cmap.items[22] == ("ikm", 21)


def test_codes_beyond_a_smaller_instrument_settle_the_group():
    # U10–U12 exist only in IKM: the whole U group is IKM, not U1–U9 = SKM.
    cmap = map_columns([f"U{i}" for i in range(1, 13)], REG)
    assert set(cmap.items.values()) == {("ikm", i) for i in range(1, 13)}


def test_ambiguous_codes_ask_for_the_instrument():
    headers = [f"P{i}" for i in range(1, 9)]           # IPK and SPKP both have 8 items
    with pytest.raises(MappingError, match=r"--instrument"):
        map_columns(headers, REG)
    assert set(map_columns(headers, REG, "spkp").items.values()) == {("spkp", i) for i in range(1, 9)}


def test_instrument_option_wins_over_the_count():
    cmap = map_columns([f"U{i}" for i in range(1, 10)], REG, instrument="ikm")
    assert set(cmap.items.values()) == {("ikm", i) for i in range(1, 10)}


def test_skm_u8_u9_follow_the_text_not_the_position():
    headers = ["U1 Persyaratan", "U8 Sarana dan Prasarana", "U9. Penanganan Pengaduan", "U4"]
    cmap = map_columns(headers, REG)
    assert cmap.items == {0: ("skm", 1), 1: ("skm", 9), 2: ("skm", 8), 3: ("skm", 4)}


STATEMENT = IKM.item(1).statement


@pytest.mark.parametrize("header", [
    STATEMENT,
    STATEMENT.upper(),
    f"  {STATEMENT.replace(' ', '   ')}  ",
    f"1. {STATEMENT}",
    f"(1) {STATEMENT}.",
    f"{STATEMENT}?",
    f"Bagaimana pendapat Saudara tentang pelayanan kami? [{STATEMENT}]",
    f"{STATEMENT} [Wajib diisi]",
    f"Bagaimana pendapat Saudara tentang {STATEMENT.lower()}",
    f"Menurut Anda, apakah {STATEMENT.lower()}?",
    f"IKM 1. {STATEMENT}",
])
def test_statement_headers_in_their_usual_dress(header):
    cmap = map_columns([header], REG)
    assert cmap.items == {0: ("ikm", 1)}
    assert cmap.notes == []                  # exact after cleaning: nothing to double-check


def test_reworded_statements_map_with_a_note():
    cmap = map_columns(["Informasi persyaratan pelayanan mudah diperoleh",
                        "Informasi waktu operasional pelayanan diketahui jelas"], REG)
    assert cmap.items == {0: ("ikm", 1), 1: ("ikm", 8)}
    assert len(cmap.notes) == 2 and "IKM1" in cmap.notes[0] and "kemiripan" in cmap.notes[0]


def test_fuzzy_matching_never_guesses_between_close_statements():
    # Equally close to IKM8 (operasional) and IKM10 (penyelesaian): refused, with a hint.
    match = match_header("Informasi waktu pelayanan diketahui dengan jelas", REG)
    assert not match.is_item
    assert "paling mirip" in match.reason


def test_fuzzy_matching_keeps_the_polarity():
    assert not match_header("Ada diskriminasi pelayanan", REG).is_item        # SPAK1 is "Tidak ada …"
    assert not match_header("Tidak tersedia ruang kunjungan yang nyaman", REG).is_item


def test_skm_sample_questionnaire_wording():
    cmap = map_columns([
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
        "standar pelayanan dengan hasil yang diberikan?",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "Bagamana pendapat saudara perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"], REG)
    assert cmap.items == {i: ("skm", no) for i, no in enumerate([1, 2, 3, 4, 5, 6, 7, 9, 8])}


def test_two_columns_on_one_item_is_an_error_naming_both():
    with pytest.raises(MappingError, match=r"'IKM1' dan '1\. Informasi tentang persyaratan"):
        map_columns(["IKM1", f"1. {STATEMENT}"], REG)
    with pytest.raises(MappingError, match=r"'IKM 3' dan 'IKM_03'"):
        map_columns(["IKM 3", "IKM_03"], REG)


@pytest.mark.parametrize("header,field", [
    ("Unit Kerja", "office"), ("Satker", "office"), ("Satuan Kerja", "office"), ("Kantor", "office"),
    ("UPT", "office"), ("Nama Kantor", "office"), ("Unit Layanan", "office"),
    ("Cap waktu", "date"), ("Timestamp", "date"), ("Tanggal Survei", "date"), ("Tgl.", "date"),
    ("Jenis Kelamin *", "gender"), ("L/P", "gender"), ("Usia (tahun)", "age"), ("Umur", "age"),
    ("Pendidikan Terakhir", "education"), ("Pekerjaan", "occupation"), ("Jenis Layanan", "service_type"),
    ("Saran/Masukan", "saran"), ("Kritik dan Saran", "saran"), ("ID Responden", "respondent_id"),
])
def test_respondent_fields(header, field):
    assert map_columns([header], REG).fields == {field: 0}


@pytest.mark.parametrize("header,reason", [
    ("No.", "nomor urut"), ("Nama", "data pribadi"), ("Alamat email", "data pribadi"),
    ("Total", "kolom hitungan"), ("", "tanpa judul"), ("Unnamed: 3", "tanpa judul"),
    ("Tanggal Lahir", "tidak cocok"), ("IKM 2020", "tidak cocok"), ("IKM22", "di luar jumlah item"),
])
def test_unmapped_columns_are_reported_with_a_reason(header, reason):
    cmap = map_columns(["IKM1", header], REG)
    assert cmap.ignored == [(1, header, cmap.ignored[0][2])]
    assert reason in cmap.ignored[0][2]


def test_second_column_for_a_field_is_reported():
    cmap = map_columns(["Cap waktu", "Tanggal", "IKM1"], REG)
    assert cmap.fields == {"date": 0}
    assert "kolom date kedua" in cmap.ignored[0][2]


POOL = (["IKM1", "IKM2", "IPK 3", "U5", "P2", "Tanggal", "Cap waktu", "Kantor", "Saran", "No", "Nama", "",
         "Kolom aneh", STATEMENT, "Petugas cepat dalam melayani", "Usia", "Unit Kerja", "7"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=12), st.sampled_from([None, "ikm", "skm", "spkp"]))
def test_every_column_is_accounted_for(headers, instrument):
    """Mapped, a field, or ignored with a reason — exactly once; or a MappingError. Never dropped."""
    try:
        cmap = map_columns(headers, REG, instrument)
    except MappingError as exc:
        assert "kolom" in str(exc)
        return
    positions = list(cmap.items) + list(cmap.fields.values()) + [p for p, _, _ in cmap.ignored]
    assert sorted(positions) == list(range(len(headers)))
    assert all(reason for _, _, reason in cmap.ignored)
    assert len(set(cmap.items.values())) == len(cmap.items)


# --- office names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("Kantor Imigrasi Kelas I TPI Bandung", "Kanim Kls. I TPI Bandung"),
    ("Kantor Imigrasi Kelas I TPI Bandung", "KANTOR  IMIGRASI KELAS 1 TPI BANDUNG"),
    ("Kantor Imigrasi Kelas II Non TPI Depok", "Kanim Kelas II Non-TPI Depok"),
    ("Kantor Imigrasi Kelas II Non TPI Depok", "Kantor Imigrasi Kelas 2 NONTPI Depok"),
    ("Lapas Kelas IIA Cirebon", "Lembaga Pemasyarakatan Kelas II A Cirebon"),
    ("Lapas Kelas IIA Cirebon", "LAPAS KLS 2A CIREBON"),
    ("Lapas Kelas IIA Cirebon", "Lapas Klas II-A Cirebon"),
    ("Lapas Kelas IIB Garut", "Lapas Kelas II B Garut"),
    ("Lapas Kelas III Garut", "Lapas Kelas 3 Garut"),
    ("Rutan Kelas I Bandung", "Rumah Tahanan Negara Kelas I Bandung"),
    ("Bapas Kelas I Bandung", "Balai Pemasyarakatan Kls I Bandung"),
    ("LPKA Kelas II Bandung", "Lembaga Pembinaan Khusus Anak Kelas II Bandung"),
    ("Lapas Perempuan Kelas IIA Bandung", "LPP Kelas IIA Bandung"),
    ("Kanwil Kemenkumham Jawa Barat", "Kantor Wilayah Kementerian Hukum dan HAM Jawa Barat"),
])
def test_office_name_spellings_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [
    ("Lapas Kelas I Sukamiskin", "Lapas Kelas II Sukamiskin"),
    ("Lapas Kelas IIA Cirebon", "Lapas Kelas IIB Cirebon"),
    ("Kantor Imigrasi Kelas I TPI Bandung", "Kantor Imigrasi Kelas I Non TPI Bandung"),
    ("Rutan Kelas I Bandung", "Lapas Kelas I Bandung"),
])
def test_different_offices_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)
