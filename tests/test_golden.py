"""The golden cases of ../shared/domain.md §7, one test each. Expected values are the document's."""
from decimal import Decimal
from fractions import Fraction

import pytest

from analytics.domain import formulas as f
from analytics.domain import readiness as zi
from analytics.domain import grades
from analytics.domain.rounding import half_up_array, round_half_up
from analytics.domain.instruments import load_registry

REG = load_registry()


def grade_of(index: Fraction) -> tuple[Decimal, str]:
    value = round_half_up(f.converted(index), 2)
    return value, grades.grade_of(value, REG.grades).grade


def test_all_best():
    skm = REG.get("skm")
    index = f.index_from_sums([(4, 1)] * skm.k)
    assert round_half_up(index, 2) == Decimal("4.00")
    assert grade_of(index) == (Decimal("100.00"), "A")


def test_all_worst():
    index = f.index_from_sums([(1, 1)] * 9)
    assert grade_of(index) == (Decimal("25.00"), "D")


def test_case_a_published_court_report():
    nrrs = ["3.58", "3.54", "3.29", "3.24", "3.57", "3.42", "3.78", "3.38", "3.72"]
    assert grade_of(f.index_from_nrr(nrrs)) == (Decimal("87.56"), "B")
    # The legacy weights would not reproduce the report: proof that 1/k is exact.
    legacy = sum(Fraction(Decimal(v)) for v in nrrs) * Fraction("0.111") * 25
    assert round_half_up(legacy, 2) == Decimal("87.47")


def test_case_d_per_unsur_totals():
    totals = [105, 101, 100, 116, 102, 105, 106, 105, 115]
    assert grade_of(f.index_from_sums([(t, 29) for t in totals])) == (Decimal("91.48"), "A")


@pytest.mark.parametrize("converted,expected,grade", [("88.305", "88.31", "A"), ("76.605", "76.61", "B")])
def test_half_up_at_grade_boundary(converted, expected, grade):
    value = round_half_up(Fraction(Decimal(converted)), 2)
    assert value == Decimal(expected)
    assert grades.grade_of(value, REG.grades).grade == grade


def test_half_up_of_floats_defers_to_exact_on_ties():
    # 88.305 is not representable in binary: the float is 88.30499999999999…
    exact = [Fraction("88.305"), Fraction("2.675"), Fraction("76.6049")]
    assert half_up_array([88.305, 2.675, 76.6049], 2, lambda i: exact[i]).tolist() == [88.31, 2.68, 76.60]


def part(inst, n, index):
    return zi.SurveyPart(REG.get(inst), n, Fraction(Decimal(index)))


def test_zi_linear_ikm_wbk_only():
    v = zi.readiness(REG.rule_set("zi-2019"), part("ikm", 30, "3.20"), part("ipk", 30, "4.00"))
    assert v.service_nilai == Decimal("16.00")
    assert (v.wbk, v.wbbm) == ("yes", "no")
    assert v.shortfalls == (zi.Shortfall("nilai", "IKM", ("wbbm",), Decimal("16.00"), Decimal("18.00")),)


def test_zi_linear_ipk_short():
    v = zi.readiness(REG.rule_set("zi-2019"), part("ikm", 45, "4.00"), part("ipk", 45, "3.59"))
    assert v.anticorruption_nilai == Decimal("13.46")
    assert v.wbk == "no"
    assert v.shortfalls == (zi.Shortfall("nilai", "IPK", ("wbk", "wbbm"), Decimal("13.46"), Decimal("13.50")),)
    assert v.shortfalls[0].gap == Decimal("0.04")


def test_zi_not_enough_data():
    v = zi.readiness(REG.rule_set("zi-2019"), part("ikm", 29, "3.90"), part("ipk", 29, "3.90"))
    assert (v.wbk, v.wbbm) == ("insufficient", "insufficient")
    assert [(s.kind, s.value, s.needed) for s in v.shortfalls] == [("respondents", 29, 30)] * 2


def test_zi_2021_spak():
    v = zi.readiness(REG.rule_set("zi-2021"), part("spkp", 40, "6.00"), part("spak", 40, "5.40"))
    assert v.anticorruption_nilai == Decimal("15.75")
    assert (v.wbk, v.wbbm) == ("yes", "yes")


@pytest.mark.parametrize("population,sample", [(100, 80), (1000, 278), (10000, 370)])
def test_krejcie_morgan(population, sample):
    assert f.krejcie_morgan(population) == sample
