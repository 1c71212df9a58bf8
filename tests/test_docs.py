"""Settings declared once (analytics/settings.py), and documentation that cannot drift from the code:
README's Settings table, the Streamlit config and the Makefile agree with the declarations."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from analytics import cli, i18n, settings
from analytics.ingest import mapping, readers
from analytics.ingest.readers import ReadError, read_file
from analytics.present import charts, views
from analytics.domain import integrity, periods
from analytics.domain.instruments import load_registry

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The README text under `## title`, up to the next `## ` heading."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert found, f"README has no '## {title}' section"
    return found.group(1)


@pytest.fixture
def clean_env(monkeypatch):
    for setting in settings.SETTINGS.values():
        monkeypatch.delenv(setting.env, raising=False)
    return monkeypatch


# --- settings ------------------------------------------------------------------------------------

def test_every_setting_is_fully_declared():
    for name, s in settings.SETTINGS.items():
        assert s.name == name and re.fullmatch(r"[a-z][a-z0-9_]*", name)
        assert s.env == "DASBOR_" + name.upper()
        if isinstance(s.type, type):
            assert isinstance(s.default, s.type), name
        else:                                               # a parser such as settings.path_or_url
            assert s.type(str(s.default)) == s.default, name
        assert s.help and "|" not in s.help, name          # one README table cell
        assert s.check is None or s.check(s.default) is None, f"{name}: default fails its own check"


def test_defaults_apply_without_environment(clean_env):
    assert settings.get("db") == settings.DATA_DIR / "dasbor.duckdb" == settings.db_path()
    assert settings.get("max_upload_mb") == 200
    assert settings.get("small_sample") == 30 and settings.get("header_scan_rows") == 30
    assert (settings.get("fuzzy_min"), settings.get("fuzzy_margin"), settings.get("fuzzy_hint")) == (0.88, 0.05, 0.70)
    assert settings.get("default_rules") == "zi-2019"
    clean_env.setenv("DASBOR_SMALL_SAMPLE", "  ")           # blank = unset, as for DASBOR_DB before
    assert settings.get("small_sample") == 30
    settings.check()


def test_environment_overrides_are_parsed(clean_env, tmp_path):
    clean_env.setenv("DASBOR_DB", str(tmp_path / "x.duckdb"))
    clean_env.setenv("DASBOR_SMALL_SAMPLE", " 50 ")
    clean_env.setenv("DASBOR_FUZZY_MIN", "0.9")
    clean_env.setenv("DASBOR_LINE_COLOR", "#ABCDEF")
    clean_env.setenv("DASBOR_DEFAULT_RULES", "zi-2021")
    assert settings.get("db") == tmp_path / "x.duckdb" == settings.db_path()
    assert settings.db_path("given.duckdb") == Path("given.duckdb")      # --db wins
    assert settings.get("small_sample") == 50 and settings.get("fuzzy_min") == 0.9
    assert settings.get("line_color") == "#ABCDEF" and settings.get("default_rules") == "zi-2021"


@pytest.mark.parametrize("env, raw, expected", [
    ("DASBOR_SMALL_SAMPLE", "thirty", "a whole number"),
    ("DASBOR_SMALL_SAMPLE", "30.5", "a whole number"),
    ("DASBOR_SMALL_SAMPLE", "0", "a value from 1 to"),
    ("DASBOR_MAX_UPLOAD_MB", "-5", "a value from 1 to"),
    ("DASBOR_FUZZY_MIN", "1,2", "a number"),
    ("DASBOR_FUZZY_MIN", "nan", "a value from 0.5 to 1.0"),
    ("DASBOR_BAR_COLOR", "grey", "#rrggbb"),
    ("DASBOR_DEFAULT_RULES", "zi-2030", "one of zi-2019, zi-2021"),
])
def test_invalid_override_names_the_variable(clean_env, env, raw, expected):
    clean_env.setenv(env, raw)
    name = env.removeprefix("DASBOR_").lower()
    with pytest.raises(settings.SettingError) as caught:
        settings.get(name)
    message = str(caught.value)
    assert message.startswith(f"{env}={raw!r}") and expected in message and name in message
    with pytest.raises(settings.SettingError, match=env):
        settings.check()


def test_check_lists_every_problem_and_the_fuzzy_order(clean_env):
    clean_env.setenv("DASBOR_SMALL_SAMPLE", "x")
    clean_env.setenv("DASBOR_HEATMAP_OFFICES", "0")
    with pytest.raises(settings.SettingError) as caught:
        settings.check()
    assert "DASBOR_SMALL_SAMPLE" in str(caught.value) and "DASBOR_HEATMAP_OFFICES" in str(caught.value)
    clean_env.delenv("DASBOR_SMALL_SAMPLE")
    clean_env.delenv("DASBOR_HEATMAP_OFFICES")
    clean_env.setenv("DASBOR_FUZZY_HINT", "0.95")
    with pytest.raises(settings.SettingError, match="DASBOR_FUZZY_HINT"):
        settings.check()


def test_cli_refuses_a_bad_override_with_exit_2(clean_env, tmp_path, capsys):
    clean_env.setenv("DASBOR_FUZZY_MARGIN", "lots")
    assert cli.main(["batches", "--db", str(tmp_path / "s.duckdb")]) == 2
    assert "DASBOR_FUZZY_MARGIN='lots'" in capsys.readouterr().err
    assert settings.main(["fuzzy_margin"]) == 2


def test_settings_command_prints_values_in_force(clean_env, capsys):
    clean_env.setenv("DASBOR_MAX_UPLOAD_MB", "512")
    assert settings.main(["--streamlit"]) == 0
    assert capsys.readouterr().out.split() == ["--server.maxUploadSize", "512"]
    assert settings.main(["db"]) == 0 and capsys.readouterr().out.strip() == "data/dasbor.duckdb"
    assert settings.main([]) == 0 and len(capsys.readouterr().out.splitlines()) == len(settings.SETTINGS)
    assert settings.main(["no_such"]) == 2


def test_the_code_reads_the_settings_in_force(clean_env):
    clean_env.setenv("DASBOR_MAX_UPLOAD_MB", "1")
    with pytest.raises(ReadError, match="batas 1 MB"):
        read_file(bytes(1024 * 1024 + 1), "besar.csv")
    assert views.is_small(29) and not views.is_small(30)
    clean_env.setenv("DASBOR_SMALL_SAMPLE", "10")
    assert not views.is_small(29) and views.is_small(9)


def test_old_module_constants_are_gone():
    """One obvious way: settings.get(...), not a module constant that silently ignores the override."""
    old = {readers: ["MAX_FILE_BYTES", "HEADER_SCAN_ROWS", "MIN_ITEM_COLUMNS", "FOOTER_SCAN_ROWS"],
           mapping: ["FUZZY_MIN", "FUZZY_MARGIN", "FUZZY_HINT"],
           views: ["SMALL_SAMPLE", "HEATMAP_OFFICES"],
           charts: ["LINE_COLOR", "BAR_COLOR", "SMALL_COLOR", "THRESHOLD_COLOR", "SMALL_SAMPLE"],
           settings: ["DEFAULT_RULES", "DEFAULT_DB"]}
    left = [f"{module.__name__}.{name}" for module, names in old.items() for name in names if hasattr(module, name)]
    assert left == []


# --- the Streamlit config and the Makefile agree -----------------------------------------------------

def test_streamlit_config_holds_the_defaults():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    bound = [s for s in settings.SETTINGS.values() if s.streamlit]
    assert bound, "max_upload_mb must name server.maxUploadSize"
    for s in bound:
        section, key = s.streamlit.split(".")
        assert config[section][key] == s.default, f"{s.streamlit} in .streamlit/config.toml ≠ default of {s.name}"


def test_make_run_passes_the_streamlit_settings_and_the_db_default():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "-m analytics.settings --streamlit" in recipe and "streamlit run server.py $$flags" in recipe
    default_db = re.search(r"^DB \?= \$\(or \$\(DASBOR_DB\),(\S+)\)$", makefile, re.M)
    assert default_db and default_db.group(1) == settings.shown(settings.SETTINGS["db"].default)


def test_every_dasbor_variable_mentioned_is_declared():
    """Any DASBOR_X written in the docs, the Makefile or the code is a declared setting's variable."""
    declared = {s.env for s in settings.SETTINGS.values()}
    files = [ROOT / "README.md", ROOT / "Makefile", ROOT / "app.py", *(ROOT / "docs").rglob("*.md"),
             *(p for folder in ("analytics", "ui", "benchmarks", "tests/e2e") for p in (ROOT / folder).rglob("*.py"))]
    unknown = {f"{path.relative_to(ROOT)}: {name}" for path in files if path.name != "settings.py"
               for name in re.findall(r"\bDASBOR_[A-Z][A-Z0-9_]*", path.read_text(encoding="utf-8"))
               if name not in declared}
    assert unknown == set()


# --- README: Settings --------------------------------------------------------------------------------

def test_readme_settings_table_lists_exactly_the_declared_settings():
    rows = [line for line in _section("Settings").splitlines() if line.startswith("|")]
    documented = [m.group(1) for line in rows[2:] if (m := re.match(r"\| `([a-z0-9_]+)` \|", line))]
    declared = list(settings.SETTINGS)
    assert sorted(set(declared) - set(documented)) == [], "declared but missing from README's Settings"
    assert sorted(set(documented) - set(declared)) == [], "in README's Settings but not declared"
    expected = settings.readme_table()
    for got, want in zip(rows, expected):
        assert got == want, "README Settings row differs from analytics/settings.py; expected:\n" + want
    assert len(rows) == len(expected)


# --- README: Command line ----------------------------------------------------------------------------

FLAG = r"(?<![\w-])--[a-z][a-z0-9-]*"


def _cli_options() -> dict[str, set[str]]:
    """Every subcommand of `python -m analytics` and its option strings (help aside)."""
    parser = cli._parser()
    sub = next(a for a in parser._actions if isinstance(a, cli.argparse._SubParsersAction))
    return {name: {o for a in p._actions for o in a.option_strings if o not in ("-h", "--help")}
            for name, p in sub.choices.items()}


def _readme_cli_lines() -> tuple[set[str], dict[str, set[str]]]:
    """(flags shown with the generic `COMMAND`, {command: flags shown on its line of the example block
    and on the comment lines continuing it})."""
    section = _section("Command line")
    generic = {flag for line in re.findall(r"python -m analytics COMMAND[^`]*", section)
               for flag in re.findall(FLAG, line)}
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    per_command: dict[str, set[str]] = {}
    current = None
    for line in block.splitlines():
        started = re.match(r"python -m analytics (\S+)", line)
        if started:
            current = started.group(1)
            per_command.setdefault(current, set())
        elif not line.lstrip().startswith("#"):
            current = None
        if current:
            per_command[current].update(re.findall(FLAG, line))
    return generic, per_command


def test_readme_shows_every_subcommand_and_no_other():
    commands = set(_cli_options())
    _, shown = _readme_cli_lines()
    assert sorted(commands - set(shown)) == [], "subcommands without an example in README's Command line"
    mentioned = set(re.findall(r"python -m analytics ([a-z][a-z-]*)\b", README))
    assert sorted(mentioned - commands) == [], "README names subcommands the parser does not have"


def test_readme_mentions_every_cli_flag_of_every_subcommand():
    options = _cli_options()
    generic, shown = _readme_cli_lines()
    common = set.intersection(*options.values())
    assert generic <= common, f"`COMMAND {sorted(generic - common)}` is not an option of every subcommand"
    missing = {f"{command} {flag}" for command, flags in options.items()
               for flag in flags - shown.get(command, set()) - generic}
    assert missing == set(), "flags the parser has but README's Command line does not show"
    wrong = {f"{command} {flag}" for command, flags in shown.items() for flag in flags - options.get(command, set())}
    assert wrong == set(), "flags README shows for a subcommand that does not have them"


def test_every_flag_anywhere_in_the_readme_exists():
    """Prose (Importing, Settings) names flags too: each must be an option of some subcommand, or
    of `python -m analytics.settings`. (Streamlit options are written without dashes there.)"""
    settings_command = re.compile(r"python -m analytics\.settings([^`\n]*)")
    assert {f for tail in settings_command.findall(README) for f in re.findall(FLAG, tail)} <= {"--streamlit"}
    every = set().union(*_cli_options().values())
    assert sorted(set(re.findall(FLAG, settings_command.sub("", README))) - every) == []


# --- i18n: every key is used -------------------------------------------------------------------------

# Keys the code builds at run time as t(f"<prefix>{…}"): the prefix, where it is built, and the
# suffixes that code can produce (a key with the prefix counts as used only for those).
DYNAMIC_KEYS = {
    "g_": ("ui/state.py: the granularity selectbox's format_func, over periods.GRANULARITIES",
           lambda: set(periods.GRANULARITIES)),
    "zi_": ("analytics/present/views.py overview_table: the readiness level of a row (zi_none is literal)",
            lambda: {"wbbm", "wbk", "no", "insufficient"}),
    "m_role_": ("ui/pages/metode.py and views.py: an instrument's role from data/instruments/*.yaml",
                lambda: {inst.role for inst in load_registry().instruments.values()}),
    # analytics/present/integrity.py: a signal's name, evidence, what it measures, threshold, false
    # positives, and its family — one key per signal id / family of data/rules/integrity-*.yaml.
    **{prefix: ("analytics/present/integrity.py: per signal of data/rules/integrity-*.yaml",
                lambda: set(integrity.load_rules().signals))
       for prefix in ("ig_name_", "ig_ev_", "ig_what_", "ig_thr_", "ig_fp_")},
    "ig_family_": ("analytics/present/integrity.py: the family of a signal, or of a combination",
                   lambda: {s.family for s in integrity.load_rules().signals.values()}),
    "err_join_": ("analytics/errors.py Join: the separator of a list inside a message",
                  lambda: {"list", "but", "or"}),
    "hint_": ("analytics/errors.py: a message's hint code and the surface (cli/ui) it is shown on; "
              "tests/test_errors.py checks that every hint code raised has both",
              lambda: {key[len("hint_"):] for key in i18n.STRINGS if key.startswith("hint_")}),
}


def _code_strings() -> tuple[set[str], set[str]]:
    """(every string literal, every literal prefix of a key built as t(f"…{…}")) in analytics/, ui/
    and app.py, the STRINGS table itself left out, plus the t("key") calls of the report templates."""
    import ast
    literals, prefixes = set(), set()
    files = [ROOT / "app.py", *(ROOT / "analytics").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        table = [n.value for n in ast.walk(tree) if isinstance(n, (ast.Assign, ast.AnnAssign))
                 and any(isinstance(t, ast.Name) and t.id == "STRINGS"
                         for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))]
        skipped = {id(k) for d in table if isinstance(d, ast.Dict) for k in d.keys}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
                literals.add(node.value)
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.JoinedStr)
                    and getattr(node.func, "attr", getattr(node.func, "id", None)) == "t"):
                first = node.args[0].values[0]
                prefixes.add(first.value if isinstance(first, ast.Constant) else "")
    # Report templates (Jinja2) name their keys as t("key"): those count as used too.
    for path in (ROOT / "analytics").rglob("templates/*.j2"):
        literals.update(re.findall(r"""\bt\(["']([a-z][a-z0-9_]*)["']""", path.read_text(encoding="utf-8")))
    return literals, prefixes


def test_every_dynamic_key_prefix_is_listed_and_built():
    _, built = _code_strings()
    assert built - set(DYNAMIC_KEYS) == set(), "t(f'…') with a prefix not in DYNAMIC_KEYS (or no prefix)"
    assert set(DYNAMIC_KEYS) - built == set(), "DYNAMIC_KEYS lists a prefix no code builds any more"
    from analytics.i18n import STRINGS
    for prefix, (_, suffixes) in DYNAMIC_KEYS.items():
        assert {prefix + s for s in suffixes()} - set(STRINGS) == set(), f"{prefix}… keys the code asks for"


def test_every_i18n_key_is_used():
    from analytics.i18n import STRINGS
    literals, _ = _code_strings()
    dynamic = {prefix + s for prefix, (_, suffixes) in DYNAMIC_KEYS.items() for s in suffixes()}
    unused = sorted(key for key in STRINGS if key not in literals and key not in dynamic)
    assert unused == [], "i18n keys no code uses: remove them (or list a dynamic prefix in DYNAMIC_KEYS)"
