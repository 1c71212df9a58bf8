"""Instruments, label sets, grade table and ZI rule sets, loaded from the data files in data/.

Nothing here is hard-coded: adding an instrument or changing a threshold is a data-file edit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from analytics import settings
from analytics.domain.integrity import pattern_fits
from analytics.errors import UnknownName


@dataclass(frozen=True)
class Item:
    no: int
    code: str
    statement: str
    aspect: str
    label_set: str | None = None


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    name_en: str
    index_name: str
    role: str                      # "service" | "anticorruption"
    series: str
    scale_min: int
    scale_max: int
    code_prefixes: tuple[str, ...]
    label_sets: tuple[str, ...]
    items: tuple[Item, ...]

    @property
    def k(self) -> int:
        return len(self.items)

    @property
    def is_four_point(self) -> bool:
        """Only 1–4 instruments have the regulation's 25–100 conversion and mutu grade."""
        return (self.scale_min, self.scale_max) == (1, 4)

    def item(self, no: int) -> Item:
        return self.items[no - 1]

    def label_sets_for(self, item: Item, all_sets: dict[str, list[str]]) -> dict[str, list[str]]:
        names = list(self.label_sets) + ([item.label_set] if item.label_set else [])
        return {name: all_sets[name] for name in names}


@dataclass(frozen=True)
class Grade:
    grade: str
    label: str
    label_en: str
    min: Decimal
    max: Decimal
    color: str


@dataclass(frozen=True)
class RoleRule:
    weight: Decimal
    thresholds: dict[str, Decimal]   # {"wbk": …, "wbbm": …}


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    min_respondents: int
    pairs: tuple[tuple[str, str], ...]   # (service instrument, anticorruption instrument), in order
    service: RoleRule
    anticorruption: RoleRule


@dataclass(frozen=True)
class Registry:
    instruments: dict[str, Instrument]
    label_sets: dict[str, list[str]]
    not_answered: tuple[str, ...]
    grades: tuple[Grade, ...]
    rules: dict[str, RuleSet] = field(default_factory=dict)

    def get(self, instrument_id: str) -> Instrument:
        try:
            return self.instruments[instrument_id]
        except KeyError:
            known = ", ".join(sorted(self.instruments))
            raise UnknownName("unknown_instrument", name=instrument_id, known=known) from None

    def rule_set(self, rules_id: str) -> RuleSet:
        try:
            return self.rules[rules_id]
        except KeyError:
            known = ", ".join(sorted(self.rules))
            raise UnknownName("unknown_rules", name=rules_id, known=known) from None


def _read(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _dec(value) -> Decimal:
    # Through str so that 13.5 in YAML becomes exactly Decimal("13.5"), not a binary fraction.
    return Decimal(str(value))


def _instrument(doc: dict) -> Instrument:
    items = tuple(
        Item(no=int(it["number"]), code=str(it["code"]), statement=str(it["statement"]),
             aspect=str(it.get("aspect", "")), label_set=it.get("label_set"))
        for it in doc["items"]
    )
    if [it.no for it in items] != list(range(1, len(items) + 1)):
        raise ValueError(f"instrument {doc['id']}: items must be numbered 1..k in order")
    scale = (int(doc["scale"]["min"]), int(doc["scale"]["max"]))
    if not pattern_fits(scale[0], scale[1], len(items)):
        # the integrity signals store each answer vector as an exact 63-bit code (migration 010)
        raise ValueError(f"instrument {doc['id']}: the integrity signals need a scale within 1–6 and at most "
                         f"21 items (scale {scale[0]}–{scale[1]}, {len(items)} items)")
    return Instrument(
        id=doc["id"], name=doc["name"], name_en=doc.get("name_en", doc["name"]),
        index_name=doc.get("index_name", doc["id"].upper()), role=doc["role"],
        series=doc.get("series", doc["id"]), scale_min=int(doc["scale"]["min"]),
        scale_max=int(doc["scale"]["max"]), code_prefixes=tuple(doc.get("code_prefixes", [])),
        label_sets=tuple(doc.get("label_sets", [])), items=items,
    )


def _role_rule(doc: dict) -> RoleRule:
    return RoleRule(weight=_dec(doc["weight"]),
                    thresholds={k: _dec(v) for k, v in doc["thresholds"].items()})


def _rule_set(doc: dict) -> RuleSet:
    return RuleSet(id=doc["id"], name=doc["name"], min_respondents=int(doc["min_respondents"]),
                   pairs=tuple(tuple(p) for p in doc["pairs"]),
                   service=_role_rule(doc["service"]),
                   anticorruption=_role_rule(doc["anticorruption"]))


@lru_cache(maxsize=None)
def load_registry(data_dir: Path = settings.DATA_DIR) -> Registry:
    """Read every data file once per process (they change only with a deploy)."""
    instruments = {}
    for path in sorted((data_dir / "instruments").glob("*.yaml")):
        inst = _instrument(_read(path))
        instruments[inst.id] = inst
    labels = _read(data_dir / "labels.yaml")
    grades_doc = _read(data_dir / "rules" / "grades-14-2017.yaml")
    grades = tuple(
        Grade(grade=g["grade"], label=g["label"], label_en=g.get("label_en", g["label"]),
              min=_dec(g["min"]), max=_dec(g["max"]), color=g.get("color", "#888888"))
        for g in grades_doc["grades"]
    )
    rules = {}
    for path in sorted((data_dir / "rules").glob("zi-*.yaml")):
        rs = _rule_set(_read(path))
        for pair in rs.pairs:     # readiness weighs each instrument by its role: the pair must agree
            if tuple(instruments[i].role for i in pair) != ("service", "anticorruption"):
                raise ValueError(f"{path.name}: pair {list(pair)} must be [service, anticorruption] instruments")
        rules[rs.id] = rs
    return Registry(instruments=instruments, label_sets=labels["sets"],
                    not_answered=tuple(labels.get("not_answered", [])), grades=grades, rules=rules)
