"""Metode: how every number is computed, written from the same data files the code reads (registry):
formulas, the grade table, the ZI rule sets (the one in force marked) and the instruments' items."""
import streamlit as st

from ui import sidebar, widgets
from analytics import settings
from analytics.domain import formulas
from analytics.domain import integrity as integrity_rules
from analytics.present import integrity, views
from ui.text import current_lang, integer, t
from analytics.domain.instruments import load_registry


def rules_in_force() -> str:
    try:
        return sidebar.filters().rules
    except Exception:        # filters unavailable (e.g. database locked): the method still reads
        return settings.get("default_rules")


def body() -> None:
    registry, lang = load_registry(), current_lang()
    rules = registry.rule_set(rules_in_force())
    st.title(t("metode_title"))
    st.markdown(t("m_intro"))
    st.subheader(t("m_window_h"))
    st.markdown(t("m_window"))
    st.subheader(t("m_n_h"))
    st.markdown(t("m_n"))
    st.subheader(t("m_index_h"))
    st.latex(r"\mathrm{NRR}_i = \frac{\sum \text{skor}_i}{n_i} \qquad "
             r"\text{Indeks} = \sum_{i=1}^{k} \tfrac{1}{k}\,\mathrm{NRR}_i")
    st.latex(r"\text{Nilai konversi} = \text{Indeks} \times 25 \qquad "
             r"\text{Persen} = \frac{\text{Indeks}}{\text{skala maks}} \times 100")
    st.markdown(t("m_index"))
    st.subheader(t("m_round_h"))
    st.markdown(t("m_round"))
    st.subheader(t("m_grades_h"))
    st.markdown(t("m_grades"))
    grades = views.grade_table(registry, lang)
    colors = {g.grade: g.color for g in registry.grades}
    widgets.table(grades.style.map(lambda g: f"background-color: {colors[g]}; color: white",
                                     subset=[grades.columns[0]]))
    st.subheader(t("m_zi_h"))
    st.latex(r"\text{nilai} = \frac{\text{Indeks}}{\text{skala maks}} \times \text{bobot}")
    st.markdown(t("m_zi", n=rules.min_respondents, rules=f"{rules.id} — {rules.name}"))
    widgets.table(views.rules_table(registry, lang))
    st.subheader(t("m_sample_h"))
    st.latex(r"n = \frac{3{,}841 \cdot N \cdot 0{,}25}{0{,}0025\,(N-1) + 0{,}9603}")
    st.markdown(t("m_sample", small=settings.get("small_sample"), **{
        f"k{size}": integer(formulas.krejcie_morgan(size)) for size in (100, 1000, 10000)}))
    st.subheader(t("m_weak_h"))
    st.markdown(t("m_weak"))
    st.subheader(t("m_instruments_h"))
    for inst in registry.instruments.values():
        name = inst.name_en if lang == "en" else inst.name
        with st.expander(t("m_instrument", name=name, lo=inst.scale_min, hi=inst.scale_max, k=inst.k,
                           role=t(f"m_role_{inst.role}"), series=inst.series)):
            widgets.table(views.instrument_items(inst, lang))
    signals = integrity_rules.load_rules()
    st.subheader(t("m_integrity_h"))
    st.markdown(t("m_integrity", rules=signals.id, min_n=signals.min_n, families=signals.min_families))
    widgets.table(integrity.method_table(signals, lang))


widgets.run_page(body)
