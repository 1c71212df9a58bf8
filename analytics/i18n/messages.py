"""Error and report messages (analytics.errors): `err_<code>` problems, `msg_<code>` outcomes,
`hint_<x>_cli` / `hint_<x>_ui` what to supply on each surface, `cli_*` the command line's own lines.

A command-line flag (`--office`) appears only in `hint_*_cli` and `cli_*` texts; the upload page
names its controls instead. Merged into analytics.i18n.STRINGS.
"""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- separators for Join ------------------------------------------------------------------
    "err_join_list": {"id": "; ", "en": "; "},
    "err_join_but": {"id": " tetapi ", "en": " but "},
    "err_join_or": {"id": " atau ", "en": " or "},
    # --- settings (analytics/settings.py; the detail names the variable, in English like the help) ----
    "err_bad_setting": {"id": "{detail}", "en": "{detail}"},
    # --- accounts (python -m analytics users …; the detail is the rule's English text) -----------
    "err_users": {"id": "users: {detail}", "en": "users: {detail}"},
    "err_user_name": {"id": "nama pengguna {username!r} tidak dapat dipakai: satu kata tanpa spasi",
                      "en": "the username {username!r} cannot be used: one word without spaces"},
    "err_user_role": {"id": "peran {role!r} tidak dikenal; pilih admin, kanwil atau office",
                      "en": "unknown role {role!r}; choose admin, kanwil or office"},
    "err_user_exists": {"id": "pengguna {username!r} sudah ada", "en": "user {username!r} already exists"},
    "err_user_unknown": {"id": "pengguna {username!r} tidak ada", "en": "there is no user {username!r}"},
    "err_user_offices": {"id": "kantor tidak ada di daftar kantor: {names}",
                         "en": "offices not in the office master: {names}"},
    "err_user_needs_kanwil": {"id": "akun kanwil memerlukan minimal satu Kanwil", "en": "a kanwil account needs at "
                              "least one Kanwil"},
    "err_user_needs_office": {"id": "akun kantor memerlukan minimal satu kantor", "en": "an office account needs "
                              "at least one office"},
    "err_user_password": {"id": "kata sandi minimal 8 karakter", "en": "a password has at least 8 characters"},
    "hint_user_kanwil_cli": {"id": "sebutkan dengan --kanwil \"Nama Kanwil\"", "en": "name it with --kanwil \"Kanwil name\""},
    "hint_user_kanwil_ui": {"id": "pilih di kotak 'Kanwil'", "en": "choose it in the 'Kanwil' box"},
    "hint_user_office_cli": {"id": "sebutkan dengan --office \"Nama Kantor\"", "en": "name it with --office \"Office name\""},
    "hint_user_office_ui": {"id": "pilih di kotak 'Kantor'", "en": "choose it in the 'Office' box"},
    # --- reading a file (analytics/ingest/readers.py) -------------------------------------------
    "err_resave": {"id": "buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx atau .csv",
                   "en": "open it in Excel/LibreOffice and save it again as .xlsx or .csv"},
    "err_empty_file": {"id": "file kosong (0 byte)", "en": "the file is empty (0 bytes)"},
    "err_empty_text": {"id": "file kosong (tidak ada baris berisi)", "en": "the file is empty (no rows with content)"},
    "err_too_big": {"id": "file {size:.0f} MB melebihi batas {limit} MB; pecah per periode lalu unggah satu per satu",
                    "en": "the file is {size:.0f} MB, over the {limit} MB limit; split it by period and upload "
                          "the parts one by one"},
    "err_unreadable": {"id": "file tidak dapat dibaca ({error}); {resave}",
                       "en": "the file cannot be read ({error}); {resave}"},
    "err_not_survey_file": {"id": "{kind}, bukan file survei (.xlsx, .xls, .ods atau .csv)",
                            "en": "{kind}, not a survey file (.xlsx, .xls, .ods or .csv)"},
    "err_kind_pdf": {"id": "file ini PDF", "en": "this file is a PDF"},
    "err_kind_rtf": {"id": "file ini dokumen RTF", "en": "this file is an RTF document"},
    "err_kind_gzip": {"id": "file ini arsip gzip", "en": "this file is a gzip archive"},
    "err_kind_rar": {"id": "file ini arsip RAR", "en": "this file is a RAR archive"},
    "err_kind_7z": {"id": "file ini arsip 7z", "en": "this file is a 7z archive"},
    "err_kind_png": {"id": "file ini gambar PNG", "en": "this file is a PNG image"},
    "err_kind_jpeg": {"id": "file ini gambar JPEG", "en": "this file is a JPEG image"},
    "err_kind_binary": {"id": "isi file tidak dikenali (data biner)", "en": "the content is not recognised (binary data)"},
    "err_kind_other": {"id": "bukan spreadsheet", "en": "not a spreadsheet"},
    "err_xml_file": {"id": "file ini XML (mis. 'XML Spreadsheet 2003'), bukan file survei; {resave}",
                     "en": "this file is XML (e.g. 'XML Spreadsheet 2003'), not a survey file; {resave}"},
    "err_password": {"id": "workbook dilindungi kata sandi; buka di Excel, hapus kata sandinya (File › Info › "
                           "Protect Workbook), simpan, lalu unggah lagi",
                     "en": "the workbook is password-protected; open it in Excel, remove the password (File › "
                           "Info › Protect Workbook), save, and upload it again"},
    "err_damaged": {"id": "workbook rusak atau terpotong ({error}); {resave}",
                    "en": "the workbook is damaged or cut off ({error}); {resave}"},
    # --- hostile files (analytics/ingest/limits.py, analytics/ingest/worker.py) -------------------
    "err_unzipped_too_big": {"id": "isi workbook {size} MB setelah diekstrak, melebihi batas {limit} MB "
                                   "(DASBOR_MAX_UNZIPPED_MB); pecah per periode lalu unggah satu per satu",
                             "en": "the workbook unpacks to {size} MB, over the {limit} MB limit "
                                   "(DASBOR_MAX_UNZIPPED_MB); split it by period and upload the parts one by one"},
    "err_zip_bomb": {"id": "bagian {part} mengembang {ratio}× dari ukuran terkompresinya (batas {limit}×, "
                           "DASBOR_MAX_ZIP_RATIO): bukan ekspor survei yang wajar; {resave}",
                     "en": "part {part} unpacks to {ratio}× its packed size (limit {limit}×, DASBOR_MAX_ZIP_RATIO): "
                           "not a plausible survey export; {resave}"},
    "err_sheet_too_large": {"id": "sheet {name} {how} sampai sel {cell} ({rows} baris × {cols} kolom), melebihi "
                                  "batas {limit} sel (DASBOR_MAX_SHEET_CELLS); hapus baris/kolom kosong di luar "
                                  "tabel (Ctrl+End menunjukkan sel terakhir), simpan, lalu unggah lagi",
                            "en": "sheet {name} {how} to cell {cell} ({rows} rows × {cols} columns), over the "
                                  "limit of {limit} cells (DASBOR_MAX_SHEET_CELLS); delete the empty rows/columns "
                                  "outside the table (Ctrl+End shows the last cell), save and upload again"},
    "err_extent_declared": {"id": "menyatakan luasnya", "en": "declares its extent"},
    "err_extent_actual": {"id": "berisi sel", "en": "holds cells"},
    "err_worker_memory": {"id": "membaca file ini butuh lebih dari {limit} MB memori (DASBOR_WORKER_MEMORY_MB), "
                                "jadi dihentikan; {resave}",
                          "en": "reading this file needs more than {limit} MB of memory (DASBOR_WORKER_MEMORY_MB), "
                                "so it was stopped; {resave}"},
    "err_worker_time": {"id": "membaca file ini butuh lebih dari {limit} detik (DASBOR_WORKER_CPU_SECONDS), "
                              "jadi dihentikan; pecah per periode lalu unggah satu per satu",
                        "en": "reading this file takes more than {limit} seconds (DASBOR_WORKER_CPU_SECONDS), "
                              "so it was stopped; split it by period and upload the parts one by one"},
    "err_worker_crashed": {"id": "pembaca file berhenti tak terduga (kode {code}); {resave}",
                           "en": "the file reader stopped unexpectedly (code {code}); {resave}"},
    "err_word_docx": {"id": "file ini dokumen Word, bukan workbook", "en": "this file is a Word document, not a workbook"},
    "err_word_doc": {"id": "file ini dokumen Word (.doc), bukan workbook",
                     "en": "this file is a Word document (.doc), not a workbook"},
    "err_powerpoint": {"id": "file ini presentasi PowerPoint, bukan workbook",
                       "en": "this file is a PowerPoint presentation, not a workbook"},
    "err_zip_archive": {"id": "file ini arsip ZIP, bukan workbook", "en": "this file is a ZIP archive, not a workbook"},
    "err_html_table": {"id": "file ini sebenarnya halaman web (tabel HTML), bukan workbook Excel; {resave}",
                       "en": "this file is really a web page (an HTML table), not an Excel workbook; {resave}"},
    "err_csv_unreadable": {"id": "CSV tidak dapat dibaca: {problem}", "en": "the CSV cannot be read: {problem}"},
    "err_csv_field_count": {"id": "baris {line} berisi {saw} kolom, padahal judul kolom hanya {expected}; periksa "
                                  "pemisah (koma/titik koma) atau tanda kutip di baris itu",
                            "en": "row {line} has {saw} columns but the header only {expected}; check the "
                                  "separator (comma/semicolon) or the quotes on that row"},
    "err_header_no_rows": {"id": "judul kolom di baris {row} tetapi tidak ada baris responden di bawahnya",
                           "en": "column headers on row {row} but no respondent rows below them"},
    "err_no_item_columns": {"id": "tidak ada kolom jawaban survei (item) di judul kolom",
                            "en": "no survey answer (item) column among the headers"},
    "err_sheet_unreadable": {"id": "sheet {name} tidak dapat dibaca ({error})", "en": "sheet {name} cannot be read ({error})"},
    "err_sheet_empty": {"id": "sheet {name} dilewati: kosong", "en": "sheet {name} skipped: empty"},
    "err_sheet_skipped": {"id": "sheet {name} dilewati: {reason}", "en": "sheet {name} skipped: {reason}"},
    "err_sheet_secondary": {"id": "sheet {name} dilewati: sheet ringkasan/tersembunyi, sementara sheet lain berisi "
                                  "baris responden",
                            "en": "sheet {name} skipped: a summary/hidden sheet, while other sheets hold "
                                  "respondent rows"},
    "err_no_survey_sheet": {"id": "tidak ada sheet yang berisi baris jawaban survei ({details})",
                            "en": "no sheet holds survey answer rows ({details})"},
    # --- mapping columns (analytics/ingest/mapping.py) ------------------------------------------
    "err_duplicate_item": {"id": "kolom '{first}' dan '{second}' sama-sama dibaca sebagai {code} ({index}); "
                                 "hapus salah satunya",
                           "en": "columns '{first}' and '{second}' are both read as {code} ({index}); "
                                 "remove one of them"},
    "err_ambiguous_instrument": {"id": "kolom {columns} bisa milik {options}",
                                 "en": "columns {columns} may belong to {options}"},
    # --- cells (analytics/ingest/parsing.py) ----------------------------------------------------
    "err_not_integer": {"id": "nilai {value} bukan bilangan bulat (skala {lo}–{hi})",
                        "en": "value {value} is not a whole number (scale {lo}–{hi})"},
    "err_truncated_row": {"id": "baris terakhir terpotong (kolomnya lebih sedikit dari judul kolom dan file "
                                "berakhir tanpa ganti baris); ekspor ulang file lengkapnya",
                          "en": "the last row is cut off (fewer fields than the header and no line break at the "
                                "end of the file); export the complete file again"},
    "err_huge_number": {"id": "jawaban berupa angka sangat besar (≥ 2^53), di luar skala {lo}–{hi}",
                        "en": "the answer is a huge number (≥ 2^53), outside the scale {lo}–{hi}"},
    "err_out_of_scale": {"id": "jawaban {value} di luar skala {lo}–{hi}", "en": "answer {value} is outside the scale {lo}–{hi}"},
    "err_prefix_mismatch": {"id": "nomor {number} tidak cocok dengan label '{label}' (= {score} pada set {set})",
                            "en": "number {number} does not match the label '{label}' (= {score} in set {set})"},
    "err_unknown_answer": {"id": "jawaban '{value}' tidak dikenal; yang diharapkan: {expected}",
                           "en": "answer '{value}' is not recognised; expected: {expected}"},
    "err_expected_numbers": {"id": "angka {lo}–{hi}", "en": "a number {lo}–{hi}"},
    "err_expected_numbers_or_labels": {"id": "angka {lo}–{hi} atau {labels}", "en": "a number {lo}–{hi} or {labels}"},
    "err_ambiguous_labels": {"id": "Kolom '{column}': label jawaban '{label}' bermakna ganda — bernilai {readings}; "
                                   "label lain di kolom ini tidak cukup untuk memutuskan. Gunakan jawaban berupa "
                                   "angka, atau awali labelnya dengan nomor (mis. '1 - {label}').",
                             "en": "Column '{column}': the answer label '{label}' is ambiguous — it is {readings}; "
                                   "the other labels in this column do not settle it. Use numeric answers, or put "
                                   "the number before the label (e.g. '1 - {label}')."},
    "err_labels_unresolved": {"id": "Kolom '{column}': {n} label jawaban tidak dikenal ({unknown}), padahal label lain di "
                                    "kolom ini cocok dengan {known}; seluruh kolom ditolak, karena menolak baris berlabel "
                                    "asing saja akan membuat indeks bias. Ganti label itu dengan label set tersebut atau "
                                    "dengan angka skornya.",
                              "en": "Column '{column}': {n} answer labels are not recognised ({unknown}) while the other "
                                    "labels of this column match {known}; the whole column is refused, because rejecting "
                                    "only the rows with unknown labels would bias the index. Replace those labels with "
                                    "labels of that set or with their scores."},
    "err_reading": {"id": "{score} menurut set {set}", "en": "{score} in set {set}"},
    "err_date_blank": {"id": "tanggal kosong", "en": "the date is blank"},
    "err_date_examples": {"id": "contoh yang diterima: 2024-03-05, 05/03/2024, 5 Maret 2024",
                          "en": "accepted for example: 2024-03-05, 05/03/2024, 5 Maret 2024"},
    "err_date_bad_serial": {"id": "angka {value} bukan nomor tanggal Excel (1990–2100); {examples}",
                            "en": "the number {value} is not an Excel date number (1990–2100); {examples}"},
    "err_date_no_such_day": {"id": "tanggal tidak ada di kalender", "en": "no such day in the calendar"},
    "err_date_no_such_day_dmy": {"id": "tanggal tidak ada di kalender (kolom ini dibaca hari/bulan/tahun)",
                                 "en": "no such day in the calendar (this column is read day/month/year)"},
    "err_date_no_such_day_mdy": {"id": "tanggal tidak ada di kalender (kolom ini dibaca bulan/hari/tahun)",
                                 "en": "no such day in the calendar (this column is read month/day/year)"},
    "err_date_future": {"id": "tanggal {date} di masa depan", "en": "the date {date} is in the future"},
    "err_date_too_old": {"id": "tanggal {date} sebelum tahun 1990", "en": "the date {date} is before 1990"},
    "err_date_unreadable": {"id": "tanggal tidak terbaca; {examples}", "en": "the date cannot be read; {examples}"},
    # --- the import (analytics/ingest/importer.py) ----------------------------------------------
    "err_unmapped_answer_columns": {
        "id": "{n} kolom berisi jawaban survei tetapi tidak dipetakan ke item mana pun: {columns}; file tidak diimpor "
              "agar tidak ada instrumen yang hilang diam-diam. Beri kolom itu kode item yang dikenal (mis. IKM1, IPK1), "
              "atau abaikan dengan sengaja: {hint}",
        "en": "{n} columns hold survey answers but map to no item: {columns}; the file is not imported so that no "
              "instrument is dropped silently. Give those columns a known item code (e.g. IKM1, IPK1), or leave them "
              "out on purpose: {hint}"},
    "err_column_reason": {"id": "'{column}'{sheet} ({reason})", "en": "'{column}'{sheet} ({reason})"},
    "err_in_sheet": {"id": " di sheet {name}", "en": " on sheet {name}"},
    "err_column_ignored": {"id": "kolom '{column}'{sheet} diabaikan: {reason}", "en": "column '{column}'{sheet} ignored: {reason}"},
    "err_instrument_incomplete": {"id": "{index}: hanya {n} dari {k} item ada di file (tidak ada: {missing}); indeksnya "
                                        "dihitung dari item yang ada saja",
                                  "en": "{index}: only {n} of {k} items are in the file (missing: {missing}); its index "
                                        "is computed from the items present only"},
    "err_id_is_row_number": {"id": "kolom '{column}'{sheet} berisi nomor urut {lo}–{hi}, bukan ID responden: tidak "
                                   "dipakai untuk mengenali duplikat (duplikat = kantor, waktu dan jawaban yang sama)",
                             "en": "column '{column}'{sheet} holds the running numbers {lo}–{hi}, not respondent ids: "
                                   "not used to recognise duplicates (a duplicate = same office, time and answers)"},
    "err_service_column": {"id": "kolom '{column}' berisi jenis layanan (Paspor, Izin Tinggal …), bukan kantor: "
                                 "dibaca sebagai jenis layanan",
                           "en": "column '{column}' holds service types (Paspor, Izin Tinggal …), not offices: read "
                                 "as the service type"},
    "err_ambiguous_office_column": {"id": "kolom {columns} sama-sama bisa menjadi kolom kantor dan daftar kantor tidak "
                                          "memutuskannya; {hint}",
                                    "en": "columns {columns} may each be the office column and the office master does "
                                          "not settle it; {hint}"},
    "err_date_order_undecided": {
        "id": "kolom tanggal '{column}': urutan hari/bulan tidak dapat dipastikan (semua bagian ≤ 12, mis. {example}) "
              "dan file tidak memberi petunjuk lain; dibaca hari/bulan menghasilkan bulan {dmy}, dibaca bulan/hari "
              "{mdy}; {hint}",
        "en": "date column '{column}': the day/month order cannot be decided (every part ≤ 12, e.g. {example}) and "
              "the file gives no other evidence; read day/month it gives the months {dmy}, read month/day {mdy}; "
              "{hint}"},
    "err_date_order_unreadable": {"id": "urutan tanggal '{order}' tidak dikenal; gunakan dmy atau mdy",
                                  "en": "unknown date order '{order}'; use dmy or mdy"},
    "err_period_conflicts_sheet": {"id": "sheet {sheet} menyebut bulan {named}, tetapi periode yang diberikan {period}; "
                                         "{hint}",
                                   "en": "sheet {sheet} names the month {named}, but the period given is {period}; "
                                         "{hint}"},
    "err_sheet_month_no_year": {"id": "sheet {sheet} menyebut bulan {month} tanpa tahun, dan judul maupun nama file "
                                      "tidak menyebut tahunnya; {hint}",
                                "en": "sheet {sheet} names the month {month} without a year, and neither the title nor "
                                      "the file name gives it; {hint}"},
    "err_month_from_sheet": {"id": "sheet {sheet} tanpa kolom tanggal: baris dibukukan ke {month} menurut nama sheet",
                             "en": "sheet {sheet} has no date column: its rows are booked in {month}, from the sheet name"},
    "err_month_from_title": {"id": "tanpa kolom tanggal{sheet}: baris dibukukan ke {month} menurut judul (Periode/Bulan)",
                             "en": "no date column{sheet}: the rows are booked in {month}, from the title (Periode/Bulan)"},
    "err_sheet_repeats": {"id": "sheet {name} berisi {n} responden yang sama dengan sheet {other} (kantor, tanggal dan "
                                "jawaban sama, baris demi baris): dilewati, tidak dihitung dua kali",
                          "en": "sheet {name} holds the same {n} respondents as sheet {other} (same office, date and "
                                "answers, row for row): skipped, not counted twice"},
    "err_kanwil_mismatch": {"id": "kantor '{office}' terdaftar di {registered}, bukan {kanwil}; periksa kolom kantor "
                                  "atau daftar kantor",
                            "en": "office '{office}' is registered under {registered}, not {kanwil}; check the office "
                                  "column or the office master"},
    "err_office_blank": {"id": "nama kantor kosong", "en": "the office name is blank"},
    "err_no_office_column": {"id": "tidak ada kolom kantor (Unit Kerja/Satker/Kantor)",
                             "en": "no office column (Unit Kerja/Satker/Kantor)"},
    "err_no_date_column": {"id": "tidak ada kolom tanggal", "en": "no date column"},
    "err_period_unreadable": {"id": "periode '{period}' tidak terbaca; gunakan YYYY-MM, mis. 2024-03",
                              "en": "period '{period}' cannot be read; use YYYY-MM, e.g. 2024-03"},
    "err_no_item_columns_found": {"id": "tidak ada kolom jawaban survei yang dikenali (kolom: {columns})",
                                  "en": "no recognised survey answer column (columns: {columns})"},
    "err_no_survey_rows": {"id": "tidak ada sheet yang berisi jawaban survei", "en": "no sheet holds survey answers"},
    "err_no_answers": {"id": "baris tanpa satu pun jawaban survei", "en": "a row without a single survey answer"},
    "err_unknown_office": {"id": "kantor '{office}' tidak ada di daftar kantor",
                           "en": "office '{office}' is not in the office master"},
    "err_unknown_kanwil": {"id": "Kanwil '{kanwil}' tidak ada di daftar kantor",
                           "en": "Kanwil '{kanwil}' is not in the office master"},
    "err_office_not_in_kanwil": {"id": "kantor '{office}' bukan bagian dari {kanwil}",
                                 "en": "office '{office}' is not part of {kanwil}"},
    "err_no_data_in_scope": {"id": "tidak ada data survei untuk cakupan ini", "en": "no survey data for this scope"},
    "err_start_after_end": {"id": "bulan awal {start} setelah bulan akhir {end}",
                            "en": "the first month {start} is after the last month {end}"},
    "err_cannot_write": {"id": "{path} tidak dapat ditulis: {error}", "en": "{path} cannot be written: {error}"},
    "err_duplicate_in_file": {"id": "responden yang sama sudah ada di {where} file ini",
                              "en": "the same respondent is already on {where} of this file"},
    "err_at_row": {"id": "baris {row}", "en": "row {row}"},
    "err_at_sheet_row": {"id": "sheet {in_sheet}, baris {row}", "en": "sheet {in_sheet}, row {row}"},
    "err_column_problem": {"id": "{column}: {problem}", "en": "{column}: {problem}"},
    "err_strict_refused": {"id": "{hint}: {n} baris tidak valid, file ditolak seluruhnya; pertama: baris {row}, {first}",
                           "en": "{hint}: {n} invalid rows, the whole file is refused; first: row {row}, {first}"},
    "err_no_valid_rows": {"id": "tidak ada baris valid: {n} baris ditolak, tidak ada yang diimpor",
                          "en": "no valid rows: {n} rows rejected, nothing imported"},
    "err_no_valid_rows_first": {"id": "tidak ada baris valid: {n} baris ditolak, tidak ada yang diimpor; pertama: "
                                      "baris {row}, {first}",
                                "en": "no valid rows: {n} rows rejected, nothing imported; first: row {row}, {first}"},
    "err_file_unreadable": {"id": "file tidak dapat dibuka ({reason})", "en": "the file cannot be opened ({reason})"},
    "msg_imported": {"id": "{n} responden diimpor sebagai batch {batch}; {rejected} baris ditolak; {duplicates} "
                           "duplikat dilewati",
                     "en": "{n} respondents imported as batch {batch}; {rejected} rows rejected; {duplicates} "
                           "duplicates skipped"},
    "msg_already_imported": {"id": "isi file ini sudah tersimpan sebagai batch {batch} ({file}, {when}); tidak ada "
                                   "yang diimpor",
                             "en": "this file's content is already stored as batch {batch} ({file}, {when}); "
                                   "nothing imported"},
    "msg_all_duplicates": {"id": "semua {n} responden valid di file ini sudah tersimpan (ekspor yang tumpang tindih); "
                                 "tidak ada yang diimpor",
                           "en": "all {n} valid respondents of this file are stored already (overlapping "
                                 "exports); nothing imported"},
    # --- store, office master, registry, months -------------------------------------------------
    "err_db_locked": {"id": "database {path} sedang dipakai proses lain (mis. aplikasi yang berjalan)",
                      "en": "database {path} is in use by another process (e.g. the running app)"},
    "err_db_missing": {"id": "database {path} tidak ada", "en": "database {path} does not exist"},
    "err_db_newer": {"id": "database {path} berskema versi {found}, lebih baru dari aplikasi ini (versi {known}); "
                           "perbarui aplikasinya, jangan buka database ini dengan versi lama",
                     "en": "database {path} has schema version {found}, newer than this app (version {known}); "
                           "update the app, do not open this database with an older version"},
    "err_db_unopenable": {"id": "database {path} tidak dapat dibuka: {error}", "en": "database {path} cannot be opened: {error}"},
    "err_db_damaged": {"id": "database {path} rusak (terpotong atau isinya tidak utuh): pulihkan dari cadangan",
                       "en": "database {path} is damaged (cut off or corrupt): restore it from a backup"},
    "err_disk_full": {"id": "disk penuh: database {path} tidak dapat ditulis; tidak ada yang disimpan, database "
                            "tetap seperti sebelumnya",
                      "en": "the disk is full: database {path} cannot be written; nothing was saved, the database "
                            "is as it was"},
    "err_file_too_large": {"id": "file terlalu besar: database {path} melewati batas ukuran file sistem; tidak ada "
                                 "yang disimpan, database tetap seperti sebelumnya",
                           "en": "file too large: database {path} would pass the system's file size limit; "
                                 "nothing was saved, the database is as it was"},
    "err_db_reopen": {"id": "database {path} harus dibuka ulang setelah kesalahan sebelumnya",
                      "en": "database {path} must be opened again after an earlier error"},
    "err_db_folder": {"id": "folder database {path} tidak dapat dibuat ({error})",
                      "en": "the database folder {path} cannot be created ({error})"},
    "err_master_no_name": {"id": "kolom 'nama' tidak ditemukan (kolom yang diharapkan: nama, kanwil, jenis, alias)",
                           "en": "no 'nama' column (expected columns: nama, kanwil, jenis, alias)"},
    "err_master_unreadable": {"id": "daftar kantor tidak dapat dibaca ({error})",
                              "en": "the office master cannot be read ({error})"},
    "err_alias_taken": {"id": "alias '{alias}' sudah dipakai kantor lain", "en": "alias '{alias}' already belongs to another office"},
    "err_unknown_instrument": {"id": "instrumen '{name}' tidak dikenal (tersedia: {known})",
                               "en": "unknown instrument '{name}' (available: {known})"},
    "err_unknown_rules": {"id": "aturan ZI '{name}' tidak dikenal (tersedia: {known})",
                          "en": "unknown ZI rule set '{name}' (available: {known})"},
    "err_bad_month": {"id": "bulan '{text}' tidak terbaca; gunakan format YYYY-MM, mis. 2024-03",
                      "en": "month '{text}' cannot be read; use the form YYYY-MM, e.g. 2024-03"},
    "err_no_such_batch": {"id": "batch {batch} tidak ada", "en": "there is no batch {batch}"},
    "err_not_in_trash": {"id": "batch {batch} tidak ada di tempat sampah (lihat: trash)",
                         "en": "batch {batch} is not in the trash (see: trash)"},
    "err_restore_reimported": {"id": "batch {batch} tidak dipulihkan: file yang sama sudah diimpor lagi sebagai "
                                     "batch {other}; hapus batch {other} dulu bila batch {batch} yang ingin dipakai",
                               "en": "batch {batch} not restored: the same file was imported again as batch {other}; "
                                     "delete batch {other} first if batch {batch} is the one to keep"},
    "err_restore_duplicates": {"id": "batch {batch} tidak dipulihkan: {n} respondennya sudah tersimpan lagi dari "
                                     "impor lain (akan terhitung dua kali)",
                               "en": "batch {batch} not restored: {n} of its respondents are stored again from "
                                     "another import (they would count twice)"},
    "err_delete_not_confirmed": {"id": "batch {batch} tidak dihapus: konfirmasi tidak diberikan",
                                 "en": "batch {batch} not deleted: not confirmed"},
    "err_restore_not_confirmed": {"id": "database {path} tidak diganti: konfirmasi tidak diberikan",
                                  "en": "database {path} not replaced: not confirmed"},
    "err_backup_same": {"id": "file cadangan {path} adalah database itu sendiri",
                        "en": "the backup file {path} is the database itself"},
    "err_backup_unwritable": {"id": "file {path} tidak dapat ditulis ({error})",
                              "en": "file {path} cannot be written ({error})"},
    "err_backup_postgres": {"id": "database {path} adalah PostgreSQL: backup/restore dasbor hanya menyalin file "
                                  "DuckDB; cadangkan dengan pg_dump dan pulihkan dengan pg_restore (docs/deploy.md)",
                            "en": "database {path} is PostgreSQL: the dashboard's backup/restore copies DuckDB files "
                                  "only; back it up with pg_dump and restore with pg_restore (docs/deploy.md)"},
    "err_backup_not_store": {"id": "{path} bukan cadangan database dasbor (tidak ada tabel schema_version)",
                             "en": "{path} is not a backup of a dashboard database (no schema_version table)"},
    # --- hints: what to supply, per surface -----------------------------------------------------
    "hint_instrument_cli": {"id": "sebutkan instrumennya (--instrument {instrument})",
                            "en": "name the instrument (--instrument {instrument})"},
    "hint_instrument_ui": {"id": "pilih instrumennya di kotak 'Instrumen' di atas (atau beri kolomnya kode yang khas, "
                                 "mis. {example}1)",
                           "en": "choose the instrument in the 'Instrument' box above (or give the columns "
                                 "distinct codes, e.g. {example}1)"},
    "hint_office_cli": {"id": "sebutkan kantornya (--office \"Nama Kantor\")",
                        "en": "name the office (--office \"Office name\")"},
    "hint_office_ui": {"id": "pilih kantor di kotak 'Kantor' di atas, atau tambahkan kolom Kantor (Unit Kerja/Satker) ke file",
                       "en": "choose the office in the 'Office' box above, or add an office column (Kantor/Unit Kerja/Satker) "
                             "to the file"},
    "hint_period_cli": {"id": "sebutkan periodenya (--period YYYY-MM)", "en": "name the period (--period YYYY-MM)"},
    "hint_period_ui": {"id": "pilih bulannya di kotak 'Periode' di atas, atau tambahkan kolom Tanggal ke file",
                       "en": "choose the month in the 'Period' box above, or add a date column (Tanggal) to the file"},
    "hint_create_offices_cli": {"id": "tambahkan ke daftar kantor atau izinkan pembuatan kantor baru (--create-offices)",
                                "en": "add it to the office master or allow creating new offices (--create-offices)"},
    "hint_create_offices_ui": {"id": "tambahkan ke daftar kantor (di bawah) atau centang 'Buat kantor yang belum ada'",
                               "en": "add it to the office master (below) or tick 'Create the missing offices'"},
    "hint_labels_cli": {"id": "beri skor tiap label itu: --label \"{column}={first}:SKOR\" (sekali per label)",
                        "en": "give each of those labels its score: --label \"{column}={first}:SCORE\" (once per label)"},
    "hint_labels_ui": {"id": "isi skor tiap label itu di tabel 'Label jawaban' di atas",
                       "en": "give each of those labels its score in the 'Answer labels' table above"},
    "hint_ignore_column_cli": {"id": "--ignore-column \"{first}\" (sekali per kolom)",
                               "en": "--ignore-column \"{first}\" (once per column)"},
    "hint_ignore_column_ui": {"id": "pilih kolom itu di kotak 'Abaikan kolom' di atas",
                              "en": "choose those columns in the 'Ignore columns' box above"},
    "hint_office_column_cli": {"id": "abaikan kolom yang bukan kantor (--ignore-column \"{first}\"), atau sebutkan "
                                     "kantornya (--office \"Nama Kantor\")",
                               "en": "leave out the column that is not the office (--ignore-column \"{first}\"), or "
                                     "name the office (--office \"Office name\")"},
    "hint_office_column_ui": {"id": "pilih kolom yang bukan kantor di kotak 'Abaikan kolom' di atas, atau isi kotak "
                                    "'Kantor'",
                              "en": "choose the column that is not the office in the 'Ignore columns' box above, or "
                                    "fill in the 'Office' box"},
    "hint_date_order_cli": {"id": "sebutkan urutannya (--date-order dmy untuk hari/bulan, mdy untuk bulan/hari)",
                            "en": "name the order (--date-order dmy for day/month, mdy for month/day)"},
    "hint_date_order_ui": {"id": "pilih urutannya di kotak 'Urutan tanggal' di atas",
                           "en": "choose the order in the 'Date order' box above"},
    "hint_period_sheets_cli": {"id": "satu --period tidak berlaku untuk sheet per bulan: hapus --period (bulan diambil "
                                     "dari nama sheet) atau beri hanya tahunnya (--period YYYY)",
                               "en": "one --period does not fit sheets per month: drop --period (the month comes from "
                                     "each sheet's name) or give only the year (--period YYYY)"},
    "hint_period_sheets_ui": {"id": "kosongkan kotak 'Periode' (bulan diambil dari nama sheet) atau isi tahunnya saja (YYYY)",
                              "en": "empty the 'Period' box (the month comes from each sheet's name) or give only the "
                                    "year (YYYY)"},
    "hint_period_year_cli": {"id": "sebutkan tahunnya (--period YYYY)", "en": "name the year (--period YYYY)"},
    "hint_period_year_ui": {"id": "isi tahunnya (YYYY) di kotak 'Periode' di atas",
                            "en": "give the year (YYYY) in the 'Period' box above"},
    "hint_strict_cli": {"id": "--strict", "en": "--strict"},
    "hint_strict_ui": {"id": "mode ketat", "en": "strict mode"},
    "hint_db_missing_cli": {"id": "periksa --db (atau DASBOR_DB); data baru masuk lewat ingest, demo atau "
                                  "offices --import",
                            "en": "check --db (or DASBOR_DB); data comes in through ingest, demo or offices --import"},
    "hint_db_missing_ui": {"id": "periksa pengaturan DASBOR_DB server", "en": "check the server's DASBOR_DB setting"},
    "hint_db_locked_cli": {"id": "hentikan proses itu atau gunakan --db lain",
                           "en": "stop that process or use another --db"},
    "hint_confirm_cli": {"id": "ketik 'ya', atau beri --yes", "en": "type 'yes', or give --yes"},
    "hint_confirm_ui": {"id": "ketik nama file atau nomor batch di kotaknya", "en": "type the file name or batch number in its box"},
    "hint_backup_out_cli": {"id": "pilih file lain untuk --out", "en": "choose another file for --out"},
    "hint_backup_out_ui": {"id": "pilih file lain", "en": "choose another file"},
    "hint_backup_postgres_cli": {"id": "pg_dump -Fc -f dasbor.dump \"$DASBOR_DB\"; pg_restore --clean -d \"$DASBOR_DB\" dasbor.dump",
                                 "en": "pg_dump -Fc -f dasbor.dump \"$DASBOR_DB\"; pg_restore --clean -d \"$DASBOR_DB\" dasbor.dump"},
    "hint_backup_postgres_ui": {"id": "gunakan pg_dump dan pg_restore", "en": "use pg_dump and pg_restore"},
    "hint_backup_from_cli": {"id": "periksa file untuk --from", "en": "check the file given to --from"},
    "hint_backup_from_ui": {"id": "periksa file cadangannya", "en": "check the backup file"},
    "hint_db_locked_ui": {"id": "hentikan proses itu (mis. perintah baris perintah yang sedang menulis), lalu muat "
                                "ulang halaman",
                          "en": "stop that process (e.g. a command-line import that is writing), then reload the page"},
    "hint_db_damaged_cli": {"id": "hentikan aplikasi, lalu python -m analytics restore --from FILE — cadangan dari "
                                  "`backup --out FILE`, atau yang dibuat otomatis sebelum migrasi ({path}.pre-NNN.bak)",
                            "en": "stop the app, then python -m analytics restore --from FILE — a backup made with "
                                  "`backup --out FILE`, or the one made before a migration ({path}.pre-NNN.bak)"},
    "hint_db_damaged_ui": {"id": "minta administrator memulihkannya dari cadangan dengan perintah restore "
                                 "(python -m analytics restore), mis. dari {path}.pre-NNN.bak",
                           "en": "ask the administrator to restore it from a backup with the restore command "
                                 "(python -m analytics restore), e.g. from {path}.pre-NNN.bak"},
    "hint_disk_full_cli": {"id": "kosongkan ruang disk, lalu ulangi perintahnya",
                           "en": "free disk space, then run the command again"},
    "hint_disk_full_ui": {"id": "minta administrator mengosongkan ruang disk server, lalu ulangi",
                          "en": "ask the administrator to free disk space on the server, then try again"},
    "hint_file_too_large_cli": {"id": "naikkan batas ukuran file (ulimit -f) atau pindahkan database, lalu ulangi",
                                "en": "raise the file size limit (ulimit -f) or move the database, then try again"},
    "hint_file_too_large_ui": {"id": "minta administrator menaikkan batas ukuran file server, lalu ulangi",
                               "en": "ask the administrator to raise the server's file size limit, then try again"},
    "hint_db_reopen_cli": {"id": "jalankan perintahnya lagi", "en": "run the command again"},
    "hint_db_reopen_ui": {"id": "muat ulang halaman", "en": "reload the page"},
    # --- the command line's own lines (analytics/cli.py) ----------------------------------------
    "cli_migrating": {"id": "migrasi skema {name} dijalankan (sekali; pada database besar bisa beberapa menit)",
                      "en": "running schema migration {name} (once; on a large database it may take minutes)"},
    "cli_error": {"id": "error: {message}", "en": "error: {message}"},
    "cli_bug": {"id": "bug: kesalahan tak terduga di program (bukan di masukan Anda): {kind}; traceback ditulis ke "
                      "{log} dengan kode {id}",
                "en": "bug: an unexpected error in the program (not in your input): {kind}; the traceback was "
                      "written to {log} under the id {id}"},
    "cli_row": {"id": "  {sheet}baris {row}, {column}: {message} (nilai: {value})",
                "en": "  {sheet}row {row}, {column}: {message} (value: {value})"},
    "cli_more_problems": {"id": "  … dan {n} masalah lain (lihat --json)", "en": "  … and {n} more problems (see --json)"},
    "cli_no_data": {"id": "(tidak ada data)", "en": "(no data)"},
    "cli_batch_deleted": {"id": "batch {batch} dipindah ke tempat sampah (pulihkan: restore-batch {batch}; "
                                "dikosongkan otomatis setelah {days} hari)",
                          "en": "batch {batch} moved to the trash (restore: restore-batch {batch}; emptied "
                                "automatically after {days} days)"},
    "cli_delete_prompt": {"id": "Hapus batch {batch} ({file}, {n} responden)? Ketik 'ya' untuk menghapus: ",
                          "en": "Delete batch {batch} ({file}, {n} respondents)? Type 'yes' to delete: "},
    "cli_batch_restored": {"id": "batch {batch} dipulihkan dari tempat sampah", "en": "batch {batch} restored from the trash"},
    "cli_trash_emptied": {"id": "tempat sampah dikosongkan: {n} batch dihapus permanen",
                          "en": "trash emptied: {n} batches deleted for good"},
    "cli_backup_written": {"id": "cadangan ditulis: {path} ({mb} MB)", "en": "backup written: {path} ({mb} MB)"},
    "cli_backup_restored": {"id": "database {path} dipulihkan dari {source}", "en": "database {path} restored from {source}"},
    "cli_backup_before_migration": {"id": "cadangan sebelum migrasi ditulis: {path}",
                                    "en": "backup before the migration written: {path}"},
    "cli_restore_prompt": {"id": "Ganti database {path} dengan isi {source}? Ketik 'ya' untuk mengganti: ",
                           "en": "Replace database {path} with the contents of {source}? Type 'yes' to replace: "},
    "cli_master_imported": {"id": "{n} kantor diimpor dari {file}", "en": "{n} offices imported from {file}"},
    "cli_demo_loaded": {"id": "data demo sintetis: {n} responden dari {files} file",
                        "en": "synthetic demo data: {n} respondents from {files} files"},
}
