"""Fixtures shared by every test (the repository root is on sys.path through pyproject.toml's
[tool.pytest.ini_options] pythonpath)."""
