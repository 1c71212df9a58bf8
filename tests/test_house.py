"""House rules of docs/architecture.md, checked on the source tree."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    """Top-level package names a module imports (any depth: inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(folder: str):
    return sorted((ROOT / folder).rglob("*.py"))


def test_nothing_under_analytics_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in _modules("analytics") if "streamlit" in _imports(p)]
    assert offenders == []


def test_only_the_store_package_imports_duckdb():
    store = ROOT / "analytics" / "store"
    offenders = [str(p.relative_to(ROOT)) for p in _modules("analytics") + _modules("ui")
                 if "duckdb" in _imports(p) and store not in p.parents]
    assert offenders == []
