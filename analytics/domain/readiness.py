"""Zona Integritas readiness of the survey component (../shared/domain.md §5), with no text: the
verdicts and structured shortfalls that the CLI, the pages and the reports render through i18n."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from analytics.domain import formulas
from analytics.domain.instruments import Instrument, RoleRule, RuleSet
from analytics.domain.rounding import round_half_up

LEVELS = ("wbk", "wbbm")


@dataclass(frozen=True)
class SurveyPart:
    """One instrument's result for a unit in the window, as the readiness rule needs it."""
    instrument: Instrument
    n: int
    index: Fraction | None        # None when n == 0, or when readiness() is given the rounded nilai


@dataclass(frozen=True)
class Shortfall:
    """One unmet criterion. kind 'respondents': value = n, needed = the minimum; kind 'nilai':
    value = the rounded nilai, needed = the threshold. `levels` it blocks, in LEVELS order."""
    kind: str
    instrument: str               # index name as users read it: IKM, IPK, IPKP, IPAK
    levels: tuple[str, ...]
    value: Decimal | int
    needed: Decimal | int

    @property
    def gap(self) -> Decimal | int:
        return self.needed - self.value

    def as_dict(self) -> dict:
        return {"kind": self.kind, "instrument": self.instrument, "levels": list(self.levels),
                "value": float(self.value) if self.kind == "nilai" else int(self.value),
                "needed": float(self.needed) if self.kind == "nilai" else int(self.needed),
                "gap": float(self.gap) if self.kind == "nilai" else int(self.gap)}


@dataclass(frozen=True)
class Verdict:
    rules: str
    service: SurveyPart
    anticorruption: SurveyPart
    service_nilai: Decimal | None
    anticorruption_nilai: Decimal | None
    wbk: str                       # "yes" | "no" | "insufficient"
    wbbm: str
    shortfalls: tuple[Shortfall, ...]

    def needs(self, level: str) -> tuple[Shortfall, ...]:
        return tuple(s for s in self.shortfalls if level in s.levels)


def rounded_nilai(part: SurveyPart, rule: RoleRule) -> Decimal | None:
    if part.index is None:
        return None
    return round_half_up(formulas.nilai(part.index, part.instrument.scale_max, rule.weight), 2)


def rule_for(rules: RuleSet, inst: Instrument) -> RoleRule:
    """The side of the rule set an instrument scores on (its weight and thresholds)."""
    return rules.service if inst.role == "service" else rules.anticorruption


def readiness(rules: RuleSet, service: SurveyPart, anticorruption: SurveyPart,
              nilai: tuple[Decimal | None, Decimal | None] | None = None) -> Verdict:
    """WBK/WBBM verdicts with their shortfalls. Below min_respondents it is 'insufficient', never 'no'.
    Rounded nilai are compared with ≥; a threshold both levels share is one shortfall naming both.
    `nilai`: both sides' rounded nilai when the caller has them already (the SQL path rounds floats
    and decides near-ties exactly, store/queries.readiness); otherwise rounded here from the index."""
    sides = ((service, rules.service), (anticorruption, rules.anticorruption))
    values = list(nilai) if nilai is not None else [rounded_nilai(part, rule) for part, rule in sides]
    shortfalls = [Shortfall("respondents", part.instrument.index_name, LEVELS, part.n, rules.min_respondents)
                  for part, _ in sides if part.n < rules.min_respondents]
    enough = not shortfalls
    gaps: dict[tuple[str, Decimal], tuple[Decimal, list[str]]] = {}   # (instrument, threshold) → (nilai, levels)
    for level in LEVELS:
        for (part, rule), value in zip(sides, values):
            if value is not None and value < rule.thresholds[level]:
                key = (part.instrument.index_name, rule.thresholds[level])
                gaps.setdefault(key, (value, []))[1].append(level)
    shortfalls += [Shortfall("nilai", name, tuple(levels), value, need)
                   for (name, need), (value, levels) in gaps.items()]
    blocked = {level for s in shortfalls for level in s.levels}
    verdicts = {level: "insufficient" if not enough else "no" if level in blocked else "yes" for level in LEVELS}
    return Verdict(rules=rules.id, service=service, anticorruption=anticorruption,
                   service_nilai=values[0], anticorruption_nilai=values[1],
                   wbk=verdicts["wbk"], wbbm=verdicts["wbbm"], shortfalls=tuple(shortfalls))


def pair_for(rules: RuleSet, n_by_instrument: dict[str, int]) -> tuple[str, str] | None:
    """The instruments the rule set takes for a unit: the first pair with data on both sides; else the
    first with data on either (its verdict then shows the missing side as short of respondents)."""
    for pair in rules.pairs:
        if all(n_by_instrument.get(i, 0) > 0 for i in pair):
            return pair
    for pair in rules.pairs:
        if any(n_by_instrument.get(i, 0) > 0 for i in pair):
            return pair
    return None


def threshold_on_scale(rules: RuleSet, inst: Instrument) -> dict[str, float]:
    """WBK/WBBM thresholds as values on the chart's scale of `inst` (converted or percent), rounded
    to 2 decimals: nilai ÷ bobot × skala maks → index → shown value."""
    rule = rule_for(rules, inst)
    return {level: float(round_half_up(formulas.shown_value(
        formulas.index_at_nilai(value, inst.scale_max, rule.weight), inst), 2))
        for level, value in rule.thresholds.items()}
