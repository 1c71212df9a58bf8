"""UI text in Bahasa Indonesia (first) and English, and number formatting for both.

Every function takes the language explicitly (None = Indonesian); nothing here reads a session.
The Streamlit pages use ui.text, which passes the session's language.
"""
from __future__ import annotations

import math

LANGS = ("id", "en")
DEFAULT_LANG = "id"

STRINGS: dict[str, dict[str, str]] = {
    # --- app shell ------------------------------------------------------------------------------
    "page_ringkasan": {"id": "Ringkasan", "en": "Overview"},
    "page_tren": {"id": "Tren", "en": "Trend"},
    "page_unsur": {"id": "Unsur", "en": "Elements"},
    "page_kesiapan": {"id": "Kesiapan ZI", "en": "ZI readiness"},
    "page_unggah": {"id": "Unggah", "en": "Upload"},
    "page_metode": {"id": "Metode", "en": "Method"},
    "page_bagikan": {"id": "Bagikan", "en": "Share"},
    "page_audit": {"id": "Audit", "en": "Audit"},
    # --- access: sign-in page, session refusals, account box, guest footer ----------------------
    "signin_title": {"id": "Masuk ke Dasbor IKM–IPK", "en": "Sign in to Dasbor IKM–IPK"},
    "signin_button": {"id": "Masuk", "en": "Sign in"},
    "signout_button": {"id": "Keluar", "en": "Sign out"},
    "signin_needed": {"id": "Silakan masuk untuk melihat dasbor.", "en": "Please sign in to see the dashboard."},
    "signin_invalid": {"id": "Sesi ini tidak dikenal (cookie rusak atau sudah keluar). Silakan masuk lagi.",
                       "en": "This session is not known (a damaged cookie, or signed out). Please sign in again."},
    "signin_expired": {"id": "Sesi atau tautan berbagi ini sudah kedaluwarsa. Silakan masuk lagi atau minta "
                             "tautan baru.",
                       "en": "This session or share link has expired. Please sign in again or ask for a new link."},
    "signin_revoked": {"id": "Tautan berbagi ini telah dicabut oleh pembuatnya.",
                       "en": "This share link has been revoked by its creator."},
    "signin_disabled": {"id": "Akun ini dinonaktifkan. Hubungi administrator dasbor.",
                        "en": "This account is disabled. Contact the dashboard's administrator."},
    "scope_empty": {"id": "Akun Anda belum mencakup kantor mana pun. Hubungi administrator dasbor.",
                    "en": "Your account does not cover any office yet. Contact the dashboard's administrator."},
    "signed_in_as": {"id": "Masuk sebagai **{name}** ({role})", "en": "Signed in as **{name}** ({role})"},
    "signed_in_guest": {"id": "Tamu: tautan untuk **{label}** (hanya baca)",
                        "en": "Guest: link for **{label}** (read-only)"},
    "guest_footer": {"id": "Dibagikan kepada **{label}** · berlaku sampai {until} · kantor: {offices} · bulan "
                           "{start} – {end} · survei: {instruments}. Hanya baca; angka dari kurang dari {n} "
                           "responden ditampilkan sebagai \"data belum cukup\".",
                     "en": "Shared with **{label}** · valid until {until} · offices: {offices} · months {start} – "
                           "{end} · surveys: {instruments}. Read-only; figures from fewer than {n} respondents "
                           "are shown as \"not enough data\"."},
    "login_username": {"id": "Nama pengguna", "en": "Username"},
    "login_password": {"id": "Kata sandi", "en": "Password"},
    "login_note": {"id": "Lupa kata sandi? Administrator dapat membuat yang baru. English: add ?lang=en.",
                   "en": "Forgot your password? The administrator can set a new one."},
    "login_bad": {"id": "Nama pengguna atau kata sandi salah.", "en": "Wrong username or password."},
    "login_locked": {"id": "Terlalu banyak percobaan gagal: akun dikunci sampai pukul {until}.",
                     "en": "Too many failed attempts: the account is locked until {until}."},
    "login_disabled": {"id": "Akun ini dinonaktifkan. Hubungi administrator dasbor.",
                       "en": "This account is disabled. Contact the dashboard's administrator."},
    "link_title": {"id": "Tautan berbagi", "en": "Share link"},
    "link_unknown": {"id": "Tautan ini tidak dikenal. Periksa apakah alamatnya tersalin lengkap.",
                     "en": "This link is not known. Check that the whole address was copied."},
    "link_expired": {"id": "Tautan ini sudah kedaluwarsa.", "en": "This link has expired."},
    "link_revoked": {"id": "Tautan ini telah dicabut oleh pembuatnya.", "en": "This link has been revoked by its creator."},
    "link_ask": {"id": "Mintalah tautan baru kepada Kanwil yang membagikannya.",
                 "en": "Ask the Kanwil that shared it for a new link."},
    # --- Bagikan (share links) ------------------------------------------------------------------
    "bagikan_title": {"id": "Bagikan tampilan kepada tamu", "en": "Share a view with a guest"},
    "bagikan_caption": {"id": "Tamu (mis. Ombudsman) hanya melihat kantor, survei, bulan dan halaman yang Anda pilih, "
                              "tanpa data pribadi; angka dari kurang dari {n} responden disembunyikan.",
                        "en": "A guest (e.g. the Ombudsman) sees only the offices, surveys, months and pages you "
                              "choose, without personal data; figures from fewer than {n} respondents are hidden."},
    "link_label": {"id": "Dibagikan kepada", "en": "Shared with"},
    "link_label_help": {"id": "mis. Ombudsman RI Perwakilan NTT", "en": "e.g. Ombudsman RI Perwakilan NTT"},
    "link_offices": {"id": "Kantor", "en": "Offices"},
    "link_pairs": {"id": "Survei", "en": "Surveys"},
    "link_from": {"id": "Dari bulan", "en": "From month"},
    "link_to": {"id": "Sampai bulan", "en": "To month"},
    "link_pages": {"id": "Halaman", "en": "Pages"},
    "link_downloads": {"id": "Boleh mengunduh tabel", "en": "Downloads allowed"},
    "link_days": {"id": "Berlaku (hari, maks. {max})", "en": "Valid for (days, at most {max})"},
    "link_create": {"id": "Buat tautan", "en": "Create link"},
    "link_created": {"id": "Tautan dibuat. Salin sekarang: tautan ini hanya ditampilkan sekali.",
                     "en": "Link created. Copy it now: it is shown only once."},
    "link_invalid": {"id": "Tautan tidak dapat dibuat: {problems}.", "en": "The link cannot be created: {problems}."},
    "links_mine": {"id": "Tautan yang sudah dibuat", "en": "Links made so far"},
    "links_none": {"id": "Belum ada tautan.", "en": "No links yet."},
    "link_revoke_pick": {"id": "Tautan yang dicabut", "en": "Link to revoke"},
    "link_revoke": {"id": "Cabut tautan", "en": "Revoke link"},
    "link_revoked_done": {"id": "Tautan {id} dicabut; tamu yang memakainya langsung berhenti.",
                          "en": "Link {id} revoked; guests using it are stopped at once."},
    "col_label": {"id": "Dibagikan kepada", "en": "Shared with"},
    "col_status": {"id": "Status", "en": "Status"},
    "col_expires": {"id": "Berlaku sampai", "en": "Valid until"},
    "col_last_used": {"id": "Terakhir dipakai", "en": "Last used"},
    "col_uses": {"id": "Dipakai", "en": "Uses"},
    "col_scope": {"id": "Cakupan", "en": "Scope"},
    "col_creator": {"id": "Pembuat", "en": "Creator"},
    "status_active": {"id": "aktif", "en": "active"},
    "status_expired": {"id": "kedaluwarsa", "en": "expired"},
    "status_revoked": {"id": "dicabut", "en": "revoked"},
    # --- Audit ----------------------------------------------------------------------------------
    "audit_title": {"id": "Log audit", "en": "Audit log"},
    "audit_caption_all": {"id": "Semua kejadian, terbaru dulu (maks. 2.000): masuk dan gagal masuk, tautan dibuat/"
                                "dipakai/dicabut, unggahan, penghapusan, pelanggaran cakupan.",
                          "en": "Every event, newest first (at most 2,000): sign-ins and failures, links made/used/"
                                "revoked, uploads, deletes, scope violations."},
    "audit_caption_own": {"id": "Kejadian Anda dan tautan Anda, terbaru dulu (maks. 2.000).",
                          "en": "Your events and those of your links, newest first (at most 2,000)."},
    "audit_action": {"id": "Jenis kejadian", "en": "Event type"},
    "col_time": {"id": "Waktu", "en": "Time"},
    "col_actor": {"id": "Pelaku", "en": "Actor"},
    "col_action": {"id": "Kejadian", "en": "Event"},
    "col_detail": {"id": "Rincian", "en": "Detail"},
    # --- Unggah within a scope ------------------------------------------------------------------
    "upload_outside_scope": {"id": "{file}: berisi kantor di luar cakupan akun Anda ({names}); file ini tidak "
                                   "dapat disimpan.",
                             "en": "{file}: holds offices outside your account's scope ({names}); this file cannot "
                                   "be saved."},
    "kanwil": {"id": "Kanwil", "en": "Regional office (Kanwil)"},
    "all_kanwil": {"id": "Semua Kanwil", "en": "All regional offices"},
    "office": {"id": "Kantor", "en": "Office"},
    "all_offices": {"id": "Semua kantor", "en": "All offices"},
    "pair": {"id": "Pasangan survei", "en": "Survey pair"},
    "granularity": {"id": "Periode", "en": "Period"},
    "g_month": {"id": "Bulanan", "en": "Monthly"},
    "g_quarter": {"id": "Triwulanan", "en": "Quarterly"},
    "g_semester": {"id": "Semesteran", "en": "Half-yearly"},
    "g_year": {"id": "Tahunan", "en": "Yearly"},
    "start": {"id": "Dari bulan", "en": "From month"},
    "end": {"id": "Sampai bulan", "en": "To month"},
    "rules": {"id": "Aturan ZI", "en": "ZI rule set"},
    "start_after_end": {"id": "'Dari bulan' setelah 'Sampai bulan': keduanya ditukar.",
                        "en": "'From month' is after 'To month': they were swapped."},
    "share_hint": {"id": "Salin alamat di bilah browser untuk membagikan tampilan ini.",
                   "en": "Copy the address bar to share this view."},
    "demo_banner": {"id": "DATA DEMO SINTETIS — semua angka di dasbor ini berasal dari data buatan, "
                          "bukan survei nyata.",
                    "en": "DATA DEMO SINTETIS (synthetic demo data) — every figure here comes from "
                          "invented data, not a real survey."},
    # A DasborError (input the user can fix), rendered for the page; anything else is a bug.
    "error_input": {"id": "Halaman ini tidak dapat ditampilkan: {message}.",
                    "en": "This page cannot be shown: {message}."},
    "error_page": {"id": "Halaman ini tidak dapat ditampilkan karena kesalahan tak terduga (bug) di aplikasi. "
                         "Rinciannya dicatat di log server; muat ulang halaman, dan laporkan ke pengelola "
                         "dasbor bila terulang.",
                   "en": "This page cannot be shown because of an unexpected error (a bug) in the app. The "
                         "details are in the server log; reload the page, and tell the dashboard's "
                         "administrator if it happens again."},
    "filters_unavailable": {"id": "filter sidebar tidak dapat dibuat (lihat pesan di atas)",
                            "en": "the sidebar filters could not be built (see the message above)"},
    # Shown as Markdown: the asterisk is escaped so a caption that starts with it is not a list item.
    "small_sample_note": {"id": "\\* n < {n} responden: sampel kecil, baca dengan hati-hati.",
                          "en": "\\* n < {n} respondents: small sample, read with care."},
    # --- empty state ----------------------------------------------------------------------------
    "empty_title": {"id": "Belum ada data survei", "en": "No survey data yet"},
    "empty_body": {"id": "Unggah ekspor survei (CSV/XLSX/XLS/ODS) di halaman **Unggah**, atau buka data demo "
                         "sintetis untuk mencoba dasbor.",
                   "en": "Upload survey exports (CSV/XLSX/XLS/ODS) on the **Upload** page, or open the "
                         "synthetic demo data to try the dashboard."},
    "load_demo": {"id": "Buka data demo", "en": "Open demo data"},
    "loading_demo": {"id": "Membuat data demo sintetis… (sekitar setengah menit)",
                     "en": "Building synthetic demo data… (about half a minute)"},
    "demo_loaded": {"id": "Data demo sintetis dimuat: {n} responden.",
                    "en": "Synthetic demo data loaded: {n} respondents."},
    "go_upload": {"id": "Ke halaman Unggah", "en": "Go to Upload"},
    "no_data_window": {"id": "Tidak ada data untuk pilihan ini. Ubah Kanwil, kantor, pasangan survei atau "
                             "rentang bulan di sidebar.",
                       "en": "No data for this selection. Change the Kanwil, office, survey pair or month "
                             "range in the sidebar."},
    # --- ringkasan ------------------------------------------------------------------------------
    "ringkasan_title": {"id": "Ringkasan per kantor", "en": "Overview by office"},
    "period_caption": {"id": "Periode {label} ({months}); dibandingkan dengan {prev}.",
                       "en": "Period {label} ({months}); compared with {prev}."},
    "partial": {"id": "belum lengkap", "en": "incomplete"},
    "pooled_caption": {"id": "Angka Kanwil dihitung dari seluruh responden (dipadukan), bukan rata-rata "
                             "indeks kantor.",
                       "en": "The Kanwil figures pool every respondent; they are not an average of office "
                             "indices."},
    "office_ignored": {"id": "Ringkasan menampilkan semua kantor {kanwil}; kantor terpilih ditandai ▶.",
                       "en": "The overview lists every office of {kanwil}; the selected office is marked ▶."},
    "col_office": {"id": "Kantor", "en": "Office"},
    "col_n": {"id": "n {name}", "en": "n {name}"},
    "col_value": {"id": "{name}", "en": "{name}"},
    "col_grade": {"id": "Mutu {name}", "en": "{name} grade"},
    "col_category": {"id": "Kategori {name}", "en": "{name} category"},
    "col_delta": {"id": "Δ {name}", "en": "Δ {name}"},
    "col_zi": {"id": "ZI (komponen survei)", "en": "ZI (survey component)"},
    "value_converted": {"id": "nilai konversi 25–100", "en": "converted value 25–100"},
    "value_percent": {"id": "persen dari skala maksimum", "en": "percent of the scale maximum"},
    "table_help": {"id": "{service}: {service_unit}; {anti}: {anti_unit}. Δ = perubahan terhadap periode "
                         "sebelumnya. Klik judul kolom untuk mengurutkan.",
                   "en": "{service}: {service_unit}; {anti}: {anti_unit}. Δ = change against the previous "
                         "period. Click a column header to sort."},
    "tile_n": {"id": "{n} responden", "en": "{n} respondents"},
    "headline": {"id": "{kanwil} secara keseluruhan", "en": "{kanwil} as a whole"},
    "zi_wbbm": {"id": "WBBM ✓", "en": "WBBM ✓"},
    "zi_wbk": {"id": "WBK ✓", "en": "WBK ✓"},
    "zi_no": {"id": "belum memenuhi", "en": "not met"},
    "zi_insufficient": {"id": "data belum cukup", "en": "not enough data"},
    "zi_none": {"id": "—", "en": "—"},
    # --- tren -----------------------------------------------------------------------------------
    "tren_title": {"id": "Tren {unit}", "en": "Trend of {unit}"},
    "tren_caption": {"id": "Garis: nilai per periode; pita warna: mutu pelayanan (PermenPANRB 14/2017); garis "
                           "putus-putus: ambang WBK/WBBM ({rules}); batang: jumlah responden.",
                     "en": "Line: value per period; coloured bands: service grade (PermenPANRB 14/2017); "
                           "dashed lines: WBK/WBBM thresholds ({rules}); bars: respondents."},
    "latest_change": {"id": "Perubahan {period} terhadap {prev}", "en": "Change {period} vs {prev}"},
    "heatmap_title": {"id": "NRR per unsur dan periode — {name}", "en": "NRR by element and period — {name}"},
    "unit_all": {"id": "semua kantor", "en": "all offices"},
    "axis_value_converted": {"id": "Nilai (25–100)", "en": "Value (25–100)"},
    "axis_value_percent": {"id": "Persen (%)", "en": "Percent (%)"},
    "axis_n": {"id": "Responden", "en": "Respondents"},
    "axis_period": {"id": "Periode", "en": "Period"},
    "hover_value": {"id": "Nilai", "en": "Value"},
    "hover_change": {"id": "Perubahan", "en": "Change"},
    "hover_small": {"id": "sampel kecil (n < {n})", "en": "small sample (n < {n})"},
    "hover_partial": {"id": "periode terpotong oleh rentang bulan", "en": "period cut short by the month range"},
    "trace_n": {"id": "Responden (n)", "en": "Respondents (n)"},
    "band": {"id": "Mutu {grade} ({label})", "en": "Grade {grade} ({label})"},
    "threshold": {"id": "{level} {value}", "en": "{level} {value}"},
    # --- unsur ----------------------------------------------------------------------------------
    "unsur_title": {"id": "Unsur terlemah — {unit}", "en": "Weakest elements — {unit}"},
    "unsur_caption": {"id": "NRR = rata-rata skor jawaban yang sah per unsur (n_i = jumlah jawaban sah), "
                            "{start} s.d. {end}. Terlemah di atas.",
                      "en": "NRR = mean of the valid answers per element (n_i = number of valid answers), "
                            "{start} to {end}. Weakest on top."},
    "items_ranked": {"id": "Unsur {name}, diurutkan dari NRR terendah", "en": "{name} elements, lowest NRR first"},
    "aspects_ranked": {"id": "Aspek {name} (rata-rata NRR unsur)", "en": "{name} aspects (mean element NRR)"},
    "office_item_heatmap": {"id": "Kantor × unsur {name} (NRR)", "en": "Office × element {name} (NRR)"},
    "heatmap_limited": {"id": "Ditampilkan {shown} kantor dengan rata-rata NRR terendah dari {total} kantor.",
                        "en": "Showing the {shown} offices with the lowest mean NRR out of {total}."},
    "persistent_title": {"id": "Unsur yang bertahan di 3 terlemah ≥ 3 bulan berturut-turut ({name})",
                         "en": "Elements among the 3 weakest for ≥ 3 consecutive months ({name})"},
    "persistent_none": {"id": "Tidak ada unsur yang bertahan di tiga terlemah selama tiga bulan berturut-turut.",
                        "en": "No element stayed among the three weakest for three consecutive months."},
    "col_code": {"id": "Kode", "en": "Code"},
    "col_statement": {"id": "Pernyataan", "en": "Statement"},
    "col_aspect": {"id": "Aspek", "en": "Aspect"},
    "col_nrr": {"id": "NRR", "en": "NRR"},
    "col_ni": {"id": "n_i", "en": "n_i"},
    "col_months": {"id": "Bulan berturut-turut", "en": "Consecutive months"},
    "col_from": {"id": "Dari", "en": "From"},
    "col_to": {"id": "Sampai", "en": "To"},
    "col_ongoing": {"id": "Masih berlangsung", "en": "Ongoing"},
    "yes": {"id": "ya", "en": "yes"},
    "and": {"id": "dan", "en": "and"},
    "no": {"id": "tidak", "en": "no"},
    # --- kesiapan -------------------------------------------------------------------------------
    "kesiapan_title": {"id": "Komponen survei memenuhi syarat WBK/WBBM",
                       "en": "Survey component meets the WBK/WBBM requirement"},
    "kesiapan_caption": {"id": "Hanya komponen survei ({rules}); bagian lain lembar evaluasi (LKE) berada di luar "
                               "data survei. nilai = indeks ÷ skala maksimum × bobot, dibulatkan 2 desimal, "
                               "dibandingkan dengan ≥; minimal {n} responden per survei.",
                         "en": "Survey component only ({rules}); the other parts of the evaluation sheet (LKE) "
                               "are outside survey data. nilai = index ÷ scale maximum × weight, rounded to 2 "
                               "decimals, compared with ≥; at least {n} respondents per survey."},
    "zi_window": {"id": "Jendela penilaian", "en": "Assessment window"},
    "zi_window_quarter": {"id": "Triwulan penuh terakhir ({label})", "en": "Latest full quarter ({label})"},
    "zi_window_filter": {"id": "Rentang filter ({start} s.d. {end})", "en": "Filter range ({start} to {end})"},
    "zi_window_none": {"id": "belum ada triwulan penuh", "en": "no full quarter yet"},
    "count_wbbm": {"id": "Memenuhi WBBM", "en": "Meet WBBM"},
    "count_wbk": {"id": "Memenuhi WBK", "en": "Meet WBK"},
    "count_no": {"id": "Belum memenuhi", "en": "Not met"},
    "count_insufficient": {"id": "Data belum cukup", "en": "Not enough data"},
    "col_wbk": {"id": "WBK", "en": "WBK"},
    "col_wbbm": {"id": "WBBM", "en": "WBBM"},
    "col_need_wbk": {"id": "Jarak ke WBK", "en": "Distance to WBK"},
    "col_need_wbbm": {"id": "Jarak ke WBBM", "en": "Distance to WBBM"},
    "col_service_n": {"id": "n layanan", "en": "n service"},
    "col_service_nilai": {"id": "nilai layanan", "en": "service nilai"},
    "col_anti_n": {"id": "n antikorupsi", "en": "n anticorruption"},
    "col_anti_nilai": {"id": "nilai antikorupsi", "en": "anticorruption nilai"},
    "col_reasons": {"id": "Alasan", "en": "Reasons"},
    "verdict_yes": {"id": "✓ memenuhi", "en": "✓ met"},
    "verdict_no": {"id": "✗ belum", "en": "✗ not met"},
    "verdict_insufficient": {"id": "… data belum cukup", "en": "… not enough data"},
    "need": {"id": "butuh +{gap} nilai {name}", "en": "needs +{gap} {name} nilai"},
    "met": {"id": "terpenuhi", "en": "met"},
    "need_n": {"id": "butuh {missing} responden {name} lagi (n = {n} < {min})",
               "en": "needs {missing} more {name} respondents (n = {n} < {min})"},
    "reason_n": {"id": "{name}: n = {n} < {min} responden", "en": "{name}: n = {n} < {min} respondents"},
    "reason_gap": {"id": "{name} {value} — kurang {gap} untuk {level} (≥ {need})",
                   "en": "{name} {value} — {gap} short of {level} (≥ {need})"},
    # --- unggah ---------------------------------------------------------------------------------
    "unggah_title": {"id": "Unggah ekspor survei", "en": "Upload survey exports"},
    "upload_label": {"id": "File ekspor survei (CSV, TSV, TXT, XLSX, XLS, ODS) — boleh beberapa sekaligus",
                     "en": "Survey export files (CSV, TSV, TXT, XLSX, XLS, ODS) — several at once are fine"},
    "upload_help": {"id": "Tidak ada yang disimpan sebelum Anda menekan Simpan impor.",
                    "en": "Nothing is stored until you press Save import."},
    "refused": {"id": "{file}: tidak dapat diimpor — {message}", "en": "{file}: cannot be imported — {message}"},
    # Labels named by the upload page's hints (messages.py hint_*_ui): keep them in step.
    "upload_options": {"id": "Bila file tidak menyebutkannya sendiri:", "en": "When the file does not say so itself:"},
    "upload_instrument": {"id": "Instrumen", "en": "Instrument"},
    "upload_instrument_auto": {"id": "(dari judul kolom)", "en": "(from the column headers)"},
    "upload_instrument_help": {"id": "Dipakai bila kode kolom (mis. U1…U9, P1…) cocok untuk beberapa instrumen.",
                               "en": "Used when the column codes (e.g. U1…U9, P1…) fit several instruments."},
    "upload_office": {"id": "Kantor", "en": "Office"},
    "upload_office_help": {"id": "Dipakai bila file tidak punya kolom kantor (Unit Kerja/Satker/Kantor).",
                           "en": "Used when the file has no office column (Kantor/Unit Kerja/Satker)."},
    "upload_period": {"id": "Periode", "en": "Period"},
    "labels_col_column": {"id": "Kolom", "en": "Column"},
    "labels_col_label": {"id": "Label jawaban", "en": "Answer label"},
    "labels_col_score": {"id": "Skor", "en": "Score"},
    "upload_labels_help": {"id": "Label jawaban: isi skor tiap label yang tidak dikenal; kolom tanpa skor untuk semua "
                                 "labelnya tetap ditolak (CLI: --label \"KOLOM=LABEL:SKOR\").",
                           "en": "Answer labels: give each unknown label its score; a column without a score for every "
                                 "one of them stays refused (CLI: --label \"COLUMN=LABEL:SCORE\")."},
    "upload_office_auto": {"id": "(dari kolom kantor)", "en": "(from the office column)"},
    "upload_period_auto": {"id": "(dari kolom tanggal)", "en": "(from the date column)"},
    "upload_period_help": {"id": "YYYY-MM, mis. 2024-03; dipakai bila file tidak punya kolom tanggal (YYYY saja: "
                                 "tahun untuk sheet per bulan).",
                           "en": "YYYY-MM, e.g. 2024-03; used when the file has no date column (YYYY alone: the year "
                                 "for sheets per month)."},
    "lost_title": {"id": "{file}: yang tidak akan ikut diimpor —", "en": "{file}: what would not be imported —"},
    "lost_ignored": {"id": "kolom yang Anda abaikan: {columns}", "en": "columns you chose to ignore: {columns}"},
    "lost_rejected": {"id": "{n} baris ditolak; terbanyak: {reasons}", "en": "{n} rows rejected; most often: {reasons}"},
    "upload_date_order": {"id": "Urutan tanggal", "en": "Date order"},
    "upload_date_order_auto": {"id": "(dari isi file)", "en": "(from the file)"},
    "upload_date_order_dmy": {"id": "hari/bulan/tahun", "en": "day/month/year"},
    "upload_date_order_mdy": {"id": "bulan/hari/tahun", "en": "month/day/year"},
    "upload_date_order_help": {"id": "Dipakai hanya bila tanggal di file tidak memutuskannya sendiri (semua bagian ≤ 12).",
                               "en": "Used only when the file's dates do not decide it themselves (every part ≤ 12)."},
    "upload_ignore": {"id": "Abaikan kolom", "en": "Ignore columns"},
    "upload_ignore_help": {"id": "Kolom berisi jawaban yang tidak dipetakan ke item mana pun; pilih untuk "
                                 "mengabaikannya dengan sengaja (daftar kolom yang diabaikan disimpan di catatan batch).",
                           "en": "Columns holding answers that map to no item; choose them to leave them out on "
                                 "purpose (the ignored columns are listed in the batch notes)."},
    "mapping": {"id": "Pemetaan kolom ({n} kolom)", "en": "Column mapping ({n} columns)"},
    "col_column": {"id": "Kolom di file", "en": "Column in the file"},
    "col_maps_to": {"id": "Dibaca sebagai", "en": "Read as"},
    "col_sheet": {"id": "Sheet", "en": "Sheet"},
    "validation": {"id": "{file}: {read} baris dibaca, {good} valid, {bad} ditolak; instrumen: {instruments}",
                   "en": "{file}: {read} rows read, {good} valid, {bad} rejected; instruments: {instruments}"},
    "rejected_rows": {"id": "Baris yang ditolak dan alasannya", "en": "Rejected rows and why"},
    "download_rejects": {"id": "Unduh baris yang ditolak (CSV)", "en": "Download rejected rows (CSV)"},
    "col_row": {"id": "Baris", "en": "Row"},
    "unknown_offices": {"id": "Kantor berikut belum ada di daftar kantor: {names}. Barisnya ditolak kecuali "
                              "Anda mengizinkan pembuatan kantor baru.",
                        "en": "These offices are not in the office master: {names}. Their rows are rejected "
                              "unless you allow creating new offices."},
    "create_offices": {"id": "Buat kantor yang belum ada", "en": "Create the missing offices"},
    "preview": {"id": "Indeks yang akan ditambahkan impor ini", "en": "Indices this import would add"},
    "preview_caption": {"id": "Dihitung dari isi file saja (per kantor dan bulan), sebelum disimpan.",
                        "en": "Computed from the file alone (per office and month), before saving."},
    "confirm": {"id": "Simpan impor", "en": "Save import"},
    "cancel": {"id": "Batal", "en": "Cancel"},
    "nothing_to_import": {"id": "Tidak ada baris valid untuk disimpan.", "en": "No valid rows to save."},
    "cancelled": {"id": "Impor dibatalkan; tidak ada yang disimpan. Hapus file dari daftar di atas atau "
                        "unggah file lain.",
                  "en": "Import cancelled; nothing was saved. Remove the files above or upload others."},
    "imported": {"id": "{file}: {message}", "en": "{file}: {message}"},
    "history": {"id": "Riwayat impor", "en": "Import history"},
    "history_empty": {"id": "Belum ada impor.", "en": "No imports yet."},
    "delete_batch": {"id": "Batch yang akan dihapus", "en": "Batch to delete"},
    "delete_pick": {"id": "Pilih batch…", "en": "Choose a batch…"},
    "delete_type": {"id": "Ketik nama file atau nomor batch untuk menghapus",
                    "en": "Type the file name or batch number to delete"},
    "delete_type_help": {"id": "Batch pindah ke tempat sampah dan dapat dipulihkan di bawah.",
                         "en": "The batch moves to the trash and can be restored below."},
    "delete_button": {"id": "Hapus batch", "en": "Delete batch"},
    "deleted": {"id": "Batch {batch} dipindah ke tempat sampah (dapat dipulihkan selama {days} hari).",
                "en": "Batch {batch} moved to the trash (restorable for {days} days)."},
    "trash_title": {"id": "Tempat sampah", "en": "Trash"},
    "trash_caption": {"id": "Batch yang dihapus disimpan {days} hari, lalu dihapus permanen.",
                      "en": "Deleted batches are kept {days} days, then deleted for good."},
    "trash_empty_list": {"id": "Tempat sampah kosong.", "en": "The trash is empty."},
    "restore_batch": {"id": "Batch yang akan dipulihkan", "en": "Batch to restore"},
    "restore_button": {"id": "Pulihkan", "en": "Restore"},
    "restored": {"id": "Batch {batch} dipulihkan.", "en": "Batch {batch} restored."},
    "trash_empty_confirm": {"id": "Saya yakin: hapus permanen {n} batch di tempat sampah",
                            "en": "I am sure: delete the {n} batches in the trash for good"},
    "trash_empty_button": {"id": "Kosongkan tempat sampah", "en": "Empty the trash"},
    "trash_emptied": {"id": "Tempat sampah dikosongkan: {n} batch dihapus permanen.",
                      "en": "Trash emptied: {n} batches deleted for good."},
    "col_deleted_at": {"id": "Dihapus", "en": "Deleted"},
    "col_deleted_by": {"id": "Oleh", "en": "By"},
    "master": {"id": "Daftar kantor", "en": "Office master"},
    "master_upload": {"id": "Impor daftar kantor (CSV/XLSX: nama, kanwil, jenis, alias)",
                      "en": "Import office master (CSV/XLSX: nama, kanwil, jenis, alias)"},
    "master_button": {"id": "Impor daftar kantor", "en": "Import office master"},
    "master_done": {"id": "{n} kantor diimpor.", "en": "{n} offices imported."},
    "demo_col": {"id": "Demo", "en": "Demo"},
    "h_file": {"id": "File", "en": "File"},
    "h_imported_at": {"id": "Diimpor", "en": "Imported"},
    "h_source": {"id": "Sumber", "en": "Source"},
    "h_rows_read": {"id": "Baris dibaca", "en": "Rows read"},
    "h_rows_imported": {"id": "Diimpor (baris)", "en": "Rows imported"},
    "h_rows_rejected": {"id": "Ditolak", "en": "Rejected"},
    "h_rows_duplicate": {"id": "Duplikat", "en": "Duplicates"},
    "h_instruments": {"id": "Instrumen", "en": "Instruments"},
    "h_instrument": {"id": "Instrumen", "en": "Instrument"},
    "h_converted": {"id": "Nilai konversi", "en": "Converted value"},
    "h_percent": {"id": "Persen", "en": "Percent"},
    "h_office_type": {"id": "Jenis", "en": "Type"},
    "h_aliases": {"id": "Alias", "en": "Aliases"},
    # --- laporan (reports: PDF, workbook, page, CLI) -------------------------------------------------
    "page_laporan": {"id": "Laporan", "en": "Reports"},
    "laporan_title": {"id": "Laporan rapat monev", "en": "Monitoring & evaluation meeting report"},
    "laporan_caption": {"id": "Laporan PDF (A4) dan buku kerja Excel untuk filter di sidebar: {scope}; bulan "
                              "{window}; {pair}; {granularity}; aturan {rules}. Angkanya sama dengan halaman "
                              "Ringkasan, Tren, Unsur dan Kesiapan ZI.",
                        "en": "A PDF (A4) report and an Excel workbook for the sidebar's filters: {scope}; months "
                              "{window}; {pair}; {granularity}; rule set {rules}. The figures are those of the "
                              "Overview, Trend, Elements and ZI readiness pages."},
    "laporan_build": {"id": "Buat laporan", "en": "Build the report"},
    "laporan_building": {"id": "Menyusun laporan… (PDF dengan grafik: beberapa detik)",
                         "en": "Building the report… (the PDF with charts takes a few seconds)"},
    "laporan_ready": {"id": "Laporan siap ({pdf} KB PDF, {xlsx} KB Excel), dibuat {at}.",
                      "en": "Report ready ({pdf} KB PDF, {xlsx} KB Excel), generated {at}."},
    "laporan_pdf": {"id": "Unduh PDF", "en": "Download PDF"},
    "laporan_xlsx": {"id": "Unduh Excel (.xlsx)", "en": "Download Excel (.xlsx)"},
    "page_pengguna": {"id": "Pengguna", "en": "Users"},
    "pengguna_title": {"id": "Pengguna dan peran", "en": "Users and roles"},
    "pengguna_caption": {"id": "Buat akun, atur peran dan Kanwil/kantornya, nonaktifkan, atau atur ulang kata sandi. "
                               "Kata sandi baru ditampilkan sekali saja; simpan dan serahkan langsung ke penggunanya. "
                               "Perubahan peran berlaku pada klik berikutnya pengguna itu.",
                         "en": "Create accounts, set their role and Kanwil/offices, disable them or reset a password. "
                               "A new password is shown once only; hand it to its user directly. A role change "
                               "applies at that user's next click."},
    "col_username": {"id": "Nama pengguna", "en": "Username"},
    "col_display_name": {"id": "Nama tampilan", "en": "Display name"},
    "col_role": {"id": "Peran", "en": "Role"},
    "col_kanwil": {"id": "Kanwil", "en": "Kanwil"},
    "col_can_upload": {"id": "Boleh mengunggah", "en": "May upload"},
    "col_disabled": {"id": "Nonaktif", "en": "Disabled"},
    "col_last_login": {"id": "Terakhir masuk", "en": "Last sign-in"},
    "users_kanwil_help": {"id": "Untuk peran kanwil: Kanwil yang kantornya boleh dilihat.",
                          "en": "For the kanwil role: the Kanwil whose offices it may see."},
    "users_office_help": {"id": "Untuk peran office: kantor miliknya.", "en": "For the office role: its office(s)."},
    "users_upload_help": {"id": "Untuk peran office: boleh mengunggah ekspor kantornya sendiri.",
                          "en": "For the office role: may upload its own office's exports."},
    "users_add": {"id": "Tambah pengguna", "en": "Add a user"},
    "users_add_button": {"id": "Buat akun", "en": "Create the account"},
    "users_added": {"id": "Akun {username} dibuat. Kata sandinya (sekali ini saja):",
                    "en": "Account {username} created. Its password (shown this once):"},
    "users_change": {"id": "Ubah pengguna", "en": "Change a user"},
    "users_change_button": {"id": "Simpan perubahan", "en": "Save the changes"},
    "users_changed": {"id": "Akun {username} diubah.", "en": "Account {username} changed."},
    "users_disable": {"id": "Nonaktifkan", "en": "Disable"},
    "users_enable": {"id": "Aktifkan", "en": "Enable"},
    "users_disabled": {"id": "Akun {username} dinonaktifkan; sesinya berakhir.",
                       "en": "Account {username} disabled; its sessions ended."},
    "users_enabled": {"id": "Akun {username} diaktifkan.", "en": "Account {username} enabled."},
    "users_reset": {"id": "Atur ulang kata sandi", "en": "Reset the password"},
    "users_reset_done": {"id": "Kata sandi baru {username} (sekali ini saja; sesinya berakhir):",
                         "en": "New password of {username} (shown this once; its sessions ended):"},
    "saran_review_title": {"id": "Tinjau saran untuk dibagikan", "en": "Review saran for sharing"},
    "saran_review_caption": {"id": "Saran responden adalah teks bebas dan bisa memuat data pribadi. Centang "
                                   "\"Boleh dibagikan\" setelah membacanya: hanya saran yang dicentang yang "
                                   "terlihat oleh tamu tautan berbagi dan masuk ke laporan untuk pengguna kantor.",
                             "en": "Respondents' saran are free text and may hold personal data. Tick \"May be "
                                   "shared\" after reading one: only ticked saran reach share-link guests and the "
                                   "reports of office users."},
    "saran_review_empty": {"id": "Tidak ada saran pada filter ini.", "en": "No saran for these filters."},
    "saran_review_save": {"id": "Simpan tinjauan", "en": "Save the review"},
    "saran_review_saved": {"id": "Tinjauan saran disimpan.", "en": "The saran review was saved."},
    "col_date": {"id": "Tanggal", "en": "Date"},
    "col_saran": {"id": "Saran", "en": "Saran"},
    "col_shared": {"id": "Boleh dibagikan", "en": "May be shared"},
    "laporan_stale": {"id": "Filter atau data berubah: buat laporan lagi.",
                      "en": "The filters or the data changed: build the report again."},
    "r_integrity": {"id": "Sinyal integritas respons — {n} unit perlu klarifikasi (bukan vonis; lihat Metode)",
                    "en": "Response-integrity signals — {n} units need clarification (not a verdict; see Method)"},
    "r_title": {"id": "Laporan Monev Survei IKM–IPK", "en": "IKM–IPK Survey Monitoring Report"},
    "r_org": {"id": "Kementerian Hukum dan HAM — Divisi Pelayanan Hukum dan HAM", "en":
              "Ministry of Law and Human Rights — Legal Services and Human Rights Division"},
    "r_subtitle": {"id": "Indeks Kepuasan Masyarakat, Indeks Persepsi Korupsi dan kesiapan Zona Integritas "
                         "(komponen survei), dihitung dari data survei yang tersimpan.",
                   "en": "Public satisfaction index, corruption perception index and Zona Integritas readiness "
                         "(survey component), computed from the stored survey data."},
    "r_scope": {"id": "Cakupan", "en": "Scope"},
    "r_offices": {"id": "Jumlah kantor", "en": "Offices"},
    "r_window": {"id": "Rentang bulan", "en": "Months"},
    "r_period": {"id": "Periode tabel", "en": "Table period"},
    "r_pair": {"id": "Survei", "en": "Surveys"},
    "r_unit": {"id": "Unit", "en": "Unit"},
    "r_page": {"id": "Hal.", "en": "Page"},
    "r_demo_note": {"id": "semua angka berasal dari data buatan, bukan survei nyata.",
                    "en": "every figure comes from invented data, not a real survey."},
    "r_cover_note": {"id": "Dibuat dari data yang tersimpan (bukan tangkapan layar). Angka dipadukan dari seluruh "
                           "responden di jendela waktu dan dibulatkan sekali di akhir; lihat Lampiran Metode.",
                     "en": "Built from the stored data (not screenshots). Figures pool every respondent of the "
                           "window and are rounded once at the end; see the Method appendix."},
    "r_filters": {"id": "{scope}; {pair}; {granularity}; bulan {window}; aturan {rules}",
                  "en": "{scope}; {pair}; {granularity}; months {window}; rule set {rules}"},
    "r_stamp_filters": {"id": "Filter", "en": "Filters"},
    "r_stamp_generated": {"id": "Dibuat", "en": "Generated"},
    "r_stamp_batches": {"id": "Batch impor", "en": "Import batches"},
    "r_stamp_rules": {"id": "Aturan", "en": "Rule set"},
    "r_stamp_version": {"id": "Versi aplikasi", "en": "App version"},
    "r_stamp_data": {"id": "Sidik data", "en": "Data fingerprint"},
    "r_summary_h": {"id": "Ringkasan Kanwil (dipadukan)", "en": "Kanwil summary (pooled)"},
    "r_offices_h": {"id": "Per kantor", "en": "By office"},
    "r_delta_note": {"id": "perubahan terhadap periode sebelumnya.", "en": "change against the previous period."},
    "r_readiness_h": {"id": "Kesiapan Zona Integritas (komponen survei)",
                      "en": "Zona Integritas readiness (survey component)"},
    "r_readiness_window": {"id": "Jendela penilaian: periode {window}.", "en": "Assessment window: period {window}."},
    "r_nilai_service": {"id": "nilai layanan (n)", "en": "service nilai (n)"},
    "r_nilai_anti": {"id": "nilai antikorupsi (n)", "en": "anticorruption nilai (n)"},
    "r_trend_h": {"id": "Tren per kantor", "en": "Trend by office"},
    "r_trend_note": {"id": "Titik terbuka dan batang kuning: n < {n}. Semua kantor memakai sumbu yang sama.",
                     "en": "Open markers and yellow bars: n < {n}. Every office uses the same axes."},
    "r_weakest_h": {"id": "Unsur terlemah", "en": "Weakest elements"},
    "r_method_h": {"id": "Lampiran: Metode", "en": "Appendix: Method"},
    "r_sheet_offices": {"id": "Kantor", "en": "Offices"},
    "r_sheet_wide": {"id": "{name} {granularity}", "en": "{name} {granularity}"},
    "r_sheet_charts": {"id": "Grafik kantor", "en": "Office charts"},
    "r_charts_note": {"id": "Tren per kantor (data: lembar per instrumen).",
                      "en": "Trend by office (data: the sheet of each instrument)."},
    "r_col_index": {"id": "Indeks", "en": "Index"},
    "r_col_date": {"id": "Tanggal", "en": "Date"},
    "r_xlsx_numbers_label": {"id": "Angka", "en": "Numbers"},
    "r_xlsx_numbers": {"id": "Angka disimpan sebagai angka (format 0.00): Excel berbahasa Indonesia "
                             "menampilkannya sebagai 87,56. Sel miring = n < 30 responden.",
                       "en": "Numbers are stored as numbers (format 0.00): an Indonesian Excel shows them as "
                             "87,56. Italic cells = n < 30 respondents."},
    "r_written": {"id": "{path}: laporan {fmt} ditulis ({kb} KB)", "en": "{path}: {fmt} report written ({kb} KB)"},
    # --- metode ---------------------------------------------------------------------------------
    "metode_title": {"id": "Cara setiap angka dihitung", "en": "How every number is computed"},
    "m_intro": {"id": "Semua angka di dasbor ini dihitung dengan aturan di bawah, dari berkas data yang sama "
                      "dengan yang dipakai kode (instrumen, tabel mutu, aturan ZI). Angka yang sama dapat "
                      "diperiksa dengan perintah `python -m analytics indices`.",
                "en": "Every figure on this dashboard follows the rules below, read from the same data files the "
                      "code uses (instruments, grade table, ZI rule sets). The same figures come out of "
                      "`python -m analytics indices`."},
    "m_window_h": {"id": "1. Unit dan jendela waktu", "en": "1. Unit and time window"},
    "m_window": {"id": "Satu angka = satu unit (kantor, Kanwil, atau semua kantor) × satu instrumen × satu jendela "
                       "waktu (bulan, triwulan, semester, tahun, atau rentang bulan). Semua jawaban responden di "
                       "jendela itu **dipadukan**: indeks bulanan tidak pernah dirata-ratakan menjadi triwulan atau "
                       "tahun, dan indeks kantor tidak dirata-ratakan menjadi angka Kanwil.",
                 "en": "One figure = one unit (office, Kanwil or all offices) × one instrument × one time window "
                       "(month, quarter, half-year, year or a month range). All respondents of the window are "
                       "**pooled**: monthly indices are never averaged into a quarter or a year, and office indices "
                       "are never averaged into a Kanwil figure."},
    "m_n_h": {"id": "2. Responden dan jawaban", "en": "2. Respondents and answers"},
    "m_n": {"id": "**n** = responden yang punya sedikitnya satu jawaban sah pada instrumen itu. **n_i** = jumlah "
                  "jawaban sah pada unsur i. Jawaban kosong, \"-\" atau \"Tidak menjawab\" tidak dihitung "
                  "(bukan kesalahan); jawaban di luar skala membuat barisnya ditolak, tidak pernah dipotong.",
            "en": "**n** = respondents with at least one valid answer on the instrument. **n_i** = valid answers on "
                  "element i. Blank, \"-\" or \"Tidak menjawab\" answers are left out (not errors); answers "
                  "outside the scale reject the row, never clipped."},
    "m_index_h": {"id": "3. NRR, indeks, nilai konversi", "en": "3. NRR, index, converted value"},
    "m_index": {"id": "NRR setiap unsur adalah rata-rata skornya; indeks adalah rata-rata NRR dengan bobot sama "
                      "1/k (k = jumlah unsur yang punya jawaban; bobot lama 0,111 atau 0,11 tidak dipakai). Untuk "
                      "instrumen skala 1–4, nilai konversi = indeks × 25 (25–100). Untuk semua instrumen, "
                      "persen = indeks ÷ skala maksimum × 100; instrumen berskala lain (mis. SPKP/SPAK 1–6) "
                      "ditampilkan dalam persen dan tidak diberi mutu.",
                "en": "The NRR of an element is its mean score; the index is the mean of the NRRs with equal "
                      "weights 1/k (k = elements with at least one answer; the legacy 0.111 or 0.11 weights are not "
                      "used). For 1–4 instruments the converted value = index × 25 (25–100). For every instrument "
                      "percent = index ÷ scale maximum × 100; other scales (e.g. SPKP/SPAK 1–6) are shown as "
                      "percent and get no grade."},
    "m_round_h": {"id": "4. Pembulatan", "en": "4. Rounding"},
    "m_round": {"id": "Dibulatkan **sekali, di akhir**, setengah ke atas (half-up) ke 2 desimal; mutu ditentukan "
                      "setelah pembulatan. Contoh: 88,305 → 88,31 (A); 76,605 → 76,61 (B).",
                "en": "Rounded **once, at the end**, half-up to 2 decimals; the grade is decided after rounding. "
                      "Examples: 88.305 → 88.31 (A); 76.605 → 76.61 (B)."},
    "m_grades_h": {"id": "5. Mutu pelayanan (PermenPANRB 14/2017)", "en": "5. Service grade (PermenPANRB 14/2017)"},
    "m_grades": {"id": "Berlaku pada nilai konversi 25–100 yang sudah dibulatkan. Untuk IPK/IPAK tabel yang sama "
                       "ditampilkan sebagai *kategori*, bukan mutu resmi. Warna tabel ini dipakai di semua grafik.",
                 "en": "Applied to the rounded 25–100 converted value. For IPK/IPAK the same table is shown as a "
                       "*category*, not a legal grade. These colours are used in every chart."},
    "m_zi_h": {"id": "6. Kesiapan Zona Integritas (komponen survei)", "en": "6. Zona Integritas readiness (survey component)"},
    "m_zi": {"id": "nilai = indeks ÷ skala maksimum × bobot, dibulatkan 2 desimal dan dibandingkan dengan ≥. Di bawah "
                   "{n} responden pada salah satu survei, hasilnya **data belum cukup** (bukan gagal). Aturan yang "
                   "berlaku sekarang: **{rules}**. Hanya komponen survei; bagian lain LKE di luar data survei. "
                   "Garis ambang di grafik Tren = nilai ambang ÷ bobot × skala maksimum (→ indeks) × 25.",
             "en": "nilai = index ÷ scale maximum × weight, rounded to 2 decimals and compared with ≥. Below {n} "
                   "respondents on either survey the result is **not enough data** (not a fail). Rule set in "
                   "force: **{rules}**. Survey component only; the rest of the LKE is outside survey data. The "
                   "threshold lines on the Trend charts = threshold nilai ÷ weight × scale maximum (→ index) × 25."},
    "m_sample_h": {"id": "7. Ukuran sampel", "en": "7. Sample size"},
    "m_sample": {"id": "Setiap angka menampilkan n-nya; angka dari kurang dari {small} responden ditandai *. Sampel "
                       "minimum dari populasi N (PermenPANRB 14/2017, Krejcie–Morgan): N = 100 → {k100}, "
                       "N = 1.000 → {k1000}, N = 10.000 → {k10000}.",
                 "en": "Every figure shows its n; a figure from fewer than {small} respondents is marked *. Minimum "
                       "sample from population N (PermenPANRB 14/2017, Krejcie–Morgan): N = 100 → {k100}, "
                       "N = 1,000 → {k1000}, N = 10,000 → {k10000}."},
    "m_weak_h": {"id": "8. Unsur terlemah", "en": "8. Weakest elements"},
    "m_weak": {"id": "Unsur diurutkan dari NRR terendah, selalu dengan n_i. Aspek = rata-rata NRR unsur-unsurnya "
                     "(bobot sama, seperti indeks). Unsur \"bertahan lemah\" = masuk tiga NRR terendah selama "
                     "sedikitnya tiga bulan kalender berturut-turut (bulan tanpa data memutus urutan).",
               "en": "Elements are ranked from the lowest NRR, always with n_i. Aspect = mean NRR of its elements "
                     "(equal weights, as in the index). A \"persistently weak\" element is among the three lowest "
                     "NRRs for at least three consecutive calendar months (a month without data breaks the run)."},
    "m_instruments_h": {"id": "9. Instrumen dan unsurnya", "en": "9. Instruments and their elements"},
    "m_instrument": {"id": "{name} — skala {lo}–{hi}, {k} unsur, peran: {role}, seri: {series}",
                     "en": "{name} — scale {lo}–{hi}, {k} elements, role: {role}, series: {series}"},
    "m_col_grade": {"id": "Mutu", "en": "Grade"},
    "m_col_label": {"id": "Kinerja unit pelayanan", "en": "Service unit performance"},
    "m_col_range": {"id": "Nilai konversi", "en": "Converted value"},
    "m_col_role": {"id": "Survei", "en": "Survey"},
    "m_col_level": {"id": "Predikat", "en": "Level"},
    "m_col_weight": {"id": "Bobot", "en": "Weight"},
    "m_col_threshold": {"id": "Ambang nilai", "en": "nilai threshold"},
    "m_col_index": {"id": "Setara indeks", "en": "Equivalent index"},
    "m_col_min_n": {"id": "Min. responden", "en": "Min. respondents"},
    "m_role_service": {"id": "layanan", "en": "service"},
    "m_role_anticorruption": {"id": "antikorupsi", "en": "anticorruption"},
    # --- integritas (issue 11): signals that ask for clarification, never a verdict ---------------------
    "page_integritas": {"id": "Integritas", "en": "Integrity"},
    "integritas_title": {"id": "Sinyal integritas respons", "en": "Response-integrity signals"},
    "ig_intro": {"id": "Hasil kantor × instrumen × bulan yang tampak *dibuat* alih-alih *dikumpulkan*. Sinyal "
                       "berarti **perlu klarifikasi** — pertanyaan untuk kantor dengan bukti yang dapat diperiksa, "
                       "bukan vonis. Tidak ada respons yang dibuang atau diberi bobot ulang; indeks tetap sama. "
                       "Satu sinyal saja tidak cukup: perlu kombinasi sinyal atau lonjakan terhadap riwayat kantor "
                       "sendiri (lihat Metode).",
                 "en": "Office × instrument × month results that look *produced* rather than *collected*. A signal "
                       "means **needs clarification** — a question for the office with evidence that can be "
                       "checked, not a verdict. No response is dropped or reweighted; the indices stay the same. "
                       "One signal alone is not enough: it takes a combination of signals or a jump against the "
                       "office's own history (see Method)."},
    "ig_metric_units": {"id": "Unit diperiksa", "en": "Units examined"},
    "ig_metric_clarify": {"id": "Perlu klarifikasi", "en": "Need clarification"},
    "ig_metric_signal": {"id": "Dengan sinyal tunggal", "en": "With a single signal"},
    "ig_show_single": {"id": "Tampilkan juga unit dengan sinyal tunggal", "en": "Also show units with a single signal"},
    "ig_none": {"id": "Tidak ada unit yang perlu klarifikasi pada pilihan ini.",
                "en": "No unit needs clarification in this selection."},
    "ig_time_unavailable": {"id": "Sinyal berbasis waktu tidak tersedia untuk {n} unit: ekspornya tidak memuat jam "
                                  "(hanya tanggal).",
                            "en": "Time-based signals are not available for {n} units: their exports carry no time "
                                  "of day (dates only)."},
    "ig_unit_note": {"id": "Unit = kantor × instrumen × bulan; bulan dengan n < {n} digabung per triwulan. Jam "
                           "ekspor dibaca sebagai {export_tz}, jam layanan kantor sebagai {office_tz}.",
                     "en": "Unit = office × instrument × month; months with n < {n} are pooled by quarter. Export "
                           "times are read as {export_tz}, office hours as {office_tz}."},
    "ig_funnel_h": {"id": "Plot corong: porsi semua-maksimum menurut n", "en": "Funnel plot: all-maximum share by n"},
    "ig_history_h": {"id": "Riwayat kantor sendiri", "en": "The office's own history"},
    "ig_pick_instrument": {"id": "Instrumen", "en": "Instrument"},
    "ig_pick_period": {"id": "Periode corong", "en": "Funnel period"},
    "ig_pick_office": {"id": "Kantor untuk riwayat", "en": "Office for the history"},
    "ig_pick_kanwil": {"id": "Kanwil corong", "en": "Funnel Kanwil"},
    "ig_no_funnel": {"id": "Kurang dari {n} kantor sebanding pada periode ini: corong tidak digambar.",
                     "en": "Fewer than {n} comparable offices in this period: no funnel is drawn."},
    "ig_status_clarify": {"id": "perlu klarifikasi", "en": "needs clarification"},
    "ig_status_signal": {"id": "sinyal tunggal", "en": "single signal"},
    "ig_status_none": {"id": "—", "en": "—"},
    "ig_col_status": {"id": "Status", "en": "Status"},
    "ig_col_because": {"id": "Karena", "en": "Because"},
    "ig_col_signals": {"id": "Sinyal", "en": "Signals"},
    "ig_col_evidence": {"id": "Bukti", "en": "Evidence"},
    "ig_because_families": {"id": "sinyal dari kelompok {families}", "en": "signals of the groups {families}"},
    "col_integrity": {"id": "Integritas", "en": "Integrity"},
    "ig_badge": {"id": "⚑ perlu klarifikasi ({n})", "en": "⚑ needs clarification ({n})"},
    "ig_pending_cell": {"id": "dihitung…", "en": "computing…"},
    "ig_pending": {"id": "Sinyal integritas sedang dihitung; kolom Integritas terisi sendiri begitu selesai.",
                   "en": "The integrity signals are being computed; the Integrity column fills in by itself when done."},
    "ig_axis_n": {"id": "Jumlah responden (n)", "en": "Respondents (n)"},
    "ig_axis_share": {"id": "Porsi (%)", "en": "Share (%)"},
    "ig_peer_line": {"id": "Porsi gabungan Kanwil {share} % (φ = {phi}, {peers} unit)",
                     "en": "Kanwil pooled share {share} % (φ = {phi}, {peers} units)"},
    "ig_limit_line": {"id": "Batas 99,9 % (disesuaikan overdispersi)", "en": "99.9 % limit (overdispersion-adjusted)"},
    "ig_offices": {"id": "Kantor", "en": "Offices"},
    "ig_flagged": {"id": "Di atas batas", "en": "Above the limit"},
    "ig_series_all_max": {"id": "Porsi semua-maksimum", "en": "All-maximum share"},
    "ig_series_uniform": {"id": "Porsi pola terbanyak", "en": "Most-common-pattern share"},
    "ig_series_clarify": {"id": "Perlu klarifikasi", "en": "Needs clarification"},
    "ig_family_content": {"id": "isi jawaban", "en": "answer content"},
    "ig_family_timing": {"id": "waktu pengisian", "en": "timing"},
    "ig_family_duplicate": {"id": "kiriman ganda", "en": "double submits"},
    "ig_family_history": {"id": "riwayat sendiri", "en": "own history"},
    "ig_name_all_max": {"id": "Semua jawaban maksimum", "en": "All answers at maximum"},
    "ig_name_uniform": {"id": "Pola jawaban seragam", "en": "Uniform answer pattern"},
    "ig_name_burst": {"id": "Lonjakan 10 menit", "en": "10-minute burst"},
    "ig_name_burst_pattern": {"id": "Lonjakan berpola sama", "en": "Burst with one pattern"},
    "ig_name_out_of_hours": {"id": "Di luar jam layanan", "en": "Out of hours"},
    "ig_name_double_submit": {"id": "Kiriman kembar", "en": "Double submits"},
    "ig_name_end_rush": {"id": "Menumpuk di akhir bulan", "en": "End-of-month rush"},
    "ig_name_jump_all_max": {"id": "Lonjakan semua-maksimum", "en": "All-maximum jump"},
    "ig_name_jump_uniform": {"id": "Lonjakan pola seragam", "en": "Uniform-pattern jump"},
    "ig_name_jump_index": {"id": "Lonjakan indeks", "en": "Index jump"},
    "ig_ev_all_max": {"id": "{count} dari {n} formulir semua jawabannya maksimum ({share} %; batas {limit} %, "
                            "Kanwil {peer} %, φ = {phi})",
                      "en": "{count} of {n} forms with every answer at the maximum ({share} %; limit {limit} %, "
                            "Kanwil {peer} %, φ = {phi})"},
    "ig_ev_uniform": {"id": "{count} dari {n} formulir berpola sama [{pattern}] ({share} %; batas {limit} %, "
                            "Kanwil {peer} %)",
                      "en": "{count} of {n} forms share one pattern [{pattern}] ({share} %; limit {limit} %, "
                            "Kanwil {peer} %)"},
    "ig_ev_burst": {"id": "{count} formulir dalam 10 menit, {start}–{end} (biasanya {usual} per 10 menit; ambang "
                          "{threshold})",
                    "en": "{count} forms within 10 minutes, {start}–{end} (usually {usual} per 10 minutes; "
                          "threshold {threshold})"},
    "ig_ev_burst_pattern": {"id": "{count} dari {of} formulir pada {start}–{end} berpola sama [{pattern}] (porsi "
                                  "pola terbanyak kantor ini biasanya {usual} %)",
                            "en": "{count} of {of} forms at {start}–{end} share one pattern [{pattern}] (this "
                                  "office's most common pattern usually {usual} %)"},
    "ig_ev_out_of_hours": {"id": "{count} dari {n} formulir di luar jam layanan ({night_from}.00–{night_to}.00 "
                                 "atau hari tutup; {share} %)",
                           "en": "{count} of {n} forms out of hours ({night_from}:00–{night_to}:00 or closed days; "
                                 "{share} %)"},
    "ig_ev_double_submit": {"id": "{pairs} pasang formulir kembar (jawaban dan profil sama, ≤ {minutes} menit), "
                                  "pertama {first}",
                            "en": "{pairs} pairs of twin forms (same answers and profile, ≤ {minutes} minutes), "
                                  "first {first}"},
    "ig_ev_end_rush": {"id": "{count} dari {n} formulir pada {days} hari terakhir bulan ({share} %; kalender saja "
                             "memberi {expected} %)",
                       "en": "{count} of {n} forms in the month's last {days} days ({share} %; the calendar alone "
                             "gives {expected} %)"},
    "ig_ev_jump_all_max": {"id": "semua-maksimum {now} % vs {before} % pada {months} bulan sebelumnya ({first} – "
                                 "{last}, n = {n_before})",
                           "en": "all-maximum {now} % vs {before} % in the {months} months before ({first} – "
                                 "{last}, n = {n_before})"},
    "ig_ev_jump_uniform": {"id": "pola terbanyak {now} % vs {before} % pada {months} bulan sebelumnya ({first} – "
                                 "{last}, n = {n_before})",
                           "en": "most common pattern {now} % vs {before} % in the {months} months before "
                                 "({first} – {last}, n = {n_before})"},
    "ig_ev_jump_index": {"id": "indeks {now} % vs {before} % pada {months} bulan sebelumnya ({first} – {last}; "
                               "+{rise} poin)",
                         "en": "index {now} % vs {before} % in the {months} months before ({first} – {last}; "
                               "+{rise} points)"},
    "ig_what_all_max": {"id": "Porsi formulir yang semua jawabannya di nilai tertinggi skala, dibandingkan dengan "
                              "kantor lain di Kanwil yang sama (instrumen dan triwulan sama) pada plot corong.",
                        "en": "Share of forms with every answer at the top of the scale, compared with the other "
                              "offices of the same Kanwil (same instrument and quarter) on a funnel plot."},
    "ig_what_uniform": {"id": "Porsi formulir yang sama persis dengan pola jawaban terbanyak bulan itu, pada plot "
                              "corong yang sama.",
                        "en": "Share of forms identical to the month's most common answer pattern, on the same "
                              "kind of funnel plot."},
    "ig_what_burst": {"id": "Jumlah formulir terbanyak dalam satu jendela 10 menit, dibandingkan dengan laju "
                            "biasa kantor itu bulan itu.",
                      "en": "Most forms in any 10-minute window, against the office's usual rate that month."},
    "ig_what_burst_pattern": {"id": "Formulir pada jendela 10 menit tersibuk yang berpola jawaban sama — jauh lebih "
                                    "banyak daripada porsi pola itu di kantor tersebut. Sudah merupakan kombinasi "
                                    "(waktu × isi), jadi cukup sendiri.",
                              "en": "Forms in the busiest 10-minute window sharing one answer pattern — far more "
                                    "than that office's own share of its commonest pattern. Already a combination "
                                    "(timing × content), so it stands alone."},
    "ig_what_out_of_hours": {"id": "Porsi formulir yang diisi malam hari atau pada hari tutup (jam setempat kantor).",
                             "en": "Share of forms filled in at night or on closed days (office local time)."},
    "ig_what_double_submit": {"id": "Pasangan formulir berurutan dengan jawaban dan profil responden identik dalam "
                                    "waktu singkat.",
                              "en": "Consecutive forms with identical answers and respondent profile within a short "
                                    "time."},
    "ig_what_end_rush": {"id": "Porsi formulir bulan itu yang masuk pada hari-hari terakhirnya.",
                         "en": "Share of the month's forms that arrive in its last days."},
    "ig_what_jump_all_max": {"id": "Kenaikan porsi semua-maksimum dibandingkan dengan bulan-bulan sebelumnya "
                                   "kantor itu sendiri.",
                             "en": "Rise of the all-maximum share against the office's own previous months."},
    "ig_what_jump_uniform": {"id": "Kenaikan porsi pola terbanyak dibandingkan dengan bulan-bulan sebelumnya.",
                             "en": "Rise of the most-common-pattern share against the previous months."},
    "ig_what_jump_index": {"id": "Kenaikan indeks (persen dari skala maksimum) dibandingkan dengan rata-rata "
                                 "bulan-bulan sebelumnya.",
                           "en": "Rise of the index (percent of the scale maximum) against the previous months' "
                                 "mean."},
    "ig_thr_all_max": {"id": "di atas batas atas corong (z = {z}, batas binomial dilebarkan √φ; φ dari skor-z "
                             "kantor sebanding yang di-winsor {winsor} %; minimal {peers} unit sebanding) dan "
                             "≥ {min_count} formulir",
                       "en": "above the funnel's upper limit (z = {z}, binomial limits widened by √φ; φ from the "
                             "peers' z-scores winsorised at {winsor} %; at least {peers} peer units) and "
                             "≥ {min_count} forms"},
    "ig_thr_uniform": {"id": "di atas batas atas corong (z = {z}, disesuaikan overdispersi) dan ≥ {min_count} "
                             "formulir",
                       "en": "above the funnel's upper limit (z = {z}, overdispersion-adjusted) and ≥ {min_count} "
                             "forms"},
    "ig_thr_burst": {"id": "≥ {min_count} formulir dalam {window_minutes} menit dan tak terjelaskan laju biasa "
                           "(Poisson, peluang < {alpha} atas semua jendela; jam layanan {opening_hours} jam)",
                     "en": "≥ {min_count} forms within {window_minutes} minutes, not explained by the usual rate "
                           "(Poisson, probability < {alpha} over all windows; {opening_hours} opening hours)"},
    "ig_thr_burst_pattern": {"id": "jendela tersibuk ≥ {min_count} formulir, ≥ {min_share} % berpola sama, peluang "
                                   "binomial < {alpha}",
                             "en": "busiest window ≥ {min_count} forms, ≥ {min_share} % with one pattern, binomial "
                                   "probability < {alpha}"},
    "ig_thr_out_of_hours": {"id": "≥ {min_share} % dan ≥ {min_count} formulir antara {night_from}.00 dan "
                                  "{night_to}.00 atau pada hari tutup (ISO {closed_days})",
                            "en": "≥ {min_share} % and ≥ {min_count} forms between {night_from}:00 and "
                                  "{night_to}:00 or on closed days (ISO {closed_days})"},
    "ig_thr_double_submit": {"id": "≥ {min_pairs} pasang dalam {window_minutes} menit dan ≥ {min_share} % dari n",
                             "en": "≥ {min_pairs} pairs within {window_minutes} minutes and ≥ {min_share} % of n"},
    "ig_thr_end_rush": {"id": "≥ {min_share} % pada {last_days} hari terakhir dan z ≥ {z} terhadap porsi kalender",
                        "en": "≥ {min_share} % in the last {last_days} days and z ≥ {z} against the calendar share"},
    "ig_thr_jump_all_max": {"id": "naik ≥ {rise} poin persen dan z ≥ {z} terhadap {months} bulan terakhir dengan "
                                  "n ≥ {min_n} (dalam {within} bulan sebelumnya)",
                            "en": "up ≥ {rise} percentage points and z ≥ {z} against the last {months} months with "
                                  "n ≥ {min_n} (within the {within} months before)"},
    "ig_thr_jump_uniform": {"id": "naik ≥ {rise} poin persen dan z ≥ {z} terhadap {months} bulan terakhir dengan "
                                  "n ≥ {min_n}",
                            "en": "up ≥ {rise} percentage points and z ≥ {z} against the last {months} months with "
                                  "n ≥ {min_n}"},
    "ig_thr_jump_index": {"id": "naik ≥ {min_rise} poin (persen skala) terhadap {months} bulan terakhir dengan "
                                "n ≥ {min_n}",
                          "en": "up ≥ {min_rise} points (percent of scale) against the last {months} months with "
                                "n ≥ {min_n}"},
    "ig_fp_all_max": {"id": "Kantor yang memang sangat baik atau pengguna yang sangat puas; layanan yang sederhana "
                            "(mis. penitipan barang); formulir singkat.",
                      "en": "An office that really is very good or very satisfied users; a simple service (e.g. "
                            "storage of goods); a short form."},
    "ig_fp_uniform": {"id": "Pada formulir 4 dan 6 poin banyak responden jujur berbagi pola yang sama (di matriks "
                            "SKM nyata 37 %); responden yang puas sering mengisi semua 4.",
                      "en": "On 4- and 6-point forms many honest respondents share a pattern (37 % in a real SKM "
                            "matrix); satisfied respondents often answer all 4s."},
    "ig_fp_burst": {"id": "Kunjungan rombongan, antrean setelah sidang atau jadwal kunjungan Lapas, kios survei "
                          "yang diisi bergiliran, impor ulang dengan jam yang dibulatkan.",
                    "en": "Group visits, a queue after a hearing or a prison visiting slot, a survey kiosk used in "
                          "turn, a re-export with rounded times."},
    "ig_fp_burst_pattern": {"id": "Rombongan dengan pengalaman yang sama (mis. satu keluarga) yang semuanya puas.",
                            "en": "A group with the same experience (e.g. one family), all satisfied."},
    "ig_fp_out_of_hours": {"id": "Formulir daring yang diisi di rumah; zona waktu ekspor salah (UTC vs WIB/WITA/WIT: "
                                 "lihat setting export_tz); layanan yang memang buka malam atau hari Minggu.",
                           "en": "An online form filled in at home; a wrong export time zone (UTC vs WIB/WITA/WIT: "
                                 "see the export_tz setting); a service that really opens at night or on Sunday."},
    "ig_fp_double_submit": {"id": "Tombol kirim ditekan dua kali; dua anggota keluarga dengan profil sama dan sama "
                                  "puasnya; ekspor tanpa kolom profil (profil kosong dianggap sama).",
                            "en": "The submit button pressed twice; two family members with the same profile and "
                                  "equally satisfied; an export without profile columns (empty profiles count as "
                                  "equal)."},
    "ig_fp_end_rush": {"id": "Kampanye survei di akhir bulan, formulir kertas yang diinput sekaligus, layanan yang "
                             "memang ramai di akhir bulan.",
                       "en": "A survey drive at month end, paper forms typed in at once, a service that really is "
                             "busy at month end."},
    "ig_fp_jump_all_max": {"id": "Perbaikan layanan yang nyata, pergantian jenis layanan atau formulir, petugas "
                                 "survei baru.",
                           "en": "A real service improvement, a change of service mix or form, a new survey officer."},
    "ig_fp_jump_uniform": {"id": "Formulir baru dengan pilihan bawaan, perubahan cara pengisian (kertas → kios).",
                           "en": "A new form with preset answers, a change of how forms are filled in (paper → "
                                 "kiosk)."},
    "ig_fp_jump_index": {"id": "Perbaikan layanan yang nyata (gedung baru, antrean daring), musim layanan yang "
                               "berbeda.",
                         "en": "A real improvement (new building, online queue), a different service season."},
    "m_integrity_h": {"id": "10. Sinyal integritas respons", "en": "10. Response-integrity signals"},
    "m_integrity": {"id": "Aturan **{rules}** (`data/rules/{rules}.yaml`). Unit = kantor × instrumen × bulan; bulan "
                          "dengan n < {min_n} digabung per triwulan. Setiap sinyal hanya **meminta klarifikasi** "
                          "dengan bukti, tidak pernah membuang atau memberi bobot ulang respons. Sebuah unit **perlu "
                          "klarifikasi** bila sinyal dari sedikitnya {families} kelompok berbeda menyala, atau bila "
                          "menyala sinyal yang cukup sendiri (lonjakan terhadap riwayat sendiri, lonjakan berpola "
                          "sama). Satu porsi yang melewati satu garis tidak pernah cukup: batas binomial biasa akan "
                          "memberi sekitar dua alarm palsu per Kanwil berisi 30 kantor setiap periode. Plot corong "
                          "mengikuti Spiegelhalter (2005): batas binomial dilebarkan faktor overdispersi φ dari "
                          "skor-z kantor sebanding yang di-winsor. Sinyal waktu memakai jam ekspor apa adanya "
                          "(setting export_tz, office_tz) dan tertulis \"tidak tersedia\" bila ekspor tanpa jam.",
                    "en": "Rule set **{rules}** (`data/rules/{rules}.yaml`). Unit = office × instrument × month; "
                          "months with n < {min_n} are pooled by quarter. Every signal only **asks for "
                          "clarification** with evidence; it never drops or reweights a response. A unit **needs "
                          "clarification** when signals of at least {families} different groups fire, or a signal "
                          "that stands alone fires (a jump against its own history, a burst sharing one pattern). One "
                          "share over one line is never enough: plain binomial limits give about two false alarms per "
                          "30-office Kanwil per period. The funnel plot follows Spiegelhalter (2005): binomial limits "
                          "widened by an overdispersion factor φ from the peers' winsorised z-scores. Time signals read "
                          "export times as they are (settings export_tz, office_tz) and say \"not available\" when an "
                          "export has no time of day."},
    "m_ig_col_signal": {"id": "Sinyal", "en": "Signal"},
    "m_ig_col_family": {"id": "Kelompok", "en": "Group"},
    "m_ig_col_what": {"id": "Yang diukur", "en": "What it measures"},
    "m_ig_col_threshold": {"id": "Ambang", "en": "Threshold"},
    "m_ig_col_fp": {"id": "Penyebab sinyal palsu yang umum", "en": "Common causes of a false signal"},
    "m_ig_alone": {"id": "cukup sendiri", "en": "stands alone"},
}

from analytics.i18n.messages import MESSAGES  # noqa: E402 — error/report messages, one catalogue

STRINGS.update(MESSAGES)


def t(key: str, lang: str | None, **values) -> str:
    """The text of `key` in `lang` (None = Indonesian), with {placeholders} filled in."""
    entry = STRINGS[key]
    text = entry.get(lang or DEFAULT_LANG) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def num(value, decimals: int = 2, lang: str | None = None, signed: bool = False) -> str:
    """87.5612 → '87,56' (id) / '87.56' (en); 1234 → '1.234' / '1,234'; missing → '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    try:
        if value != value:      # pandas NA / NaN of other types
            return "—"
    except TypeError:
        return "—"
    text = f"{float(value):{'+' if signed else ''},.{decimals}f}"
    if signed:
        text = text.replace("-", "−")       # a real minus sign reads better on a projector
    if (lang or DEFAULT_LANG) == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def integer(value, lang: str | None = None) -> str:
    return num(value, 0, lang)


def plotly_separators(lang: str | None = None) -> str:
    """Plotly's `separators` layout value: decimal mark then thousands mark."""
    return ",." if (lang or DEFAULT_LANG) == "id" else ".,"
