"""The module map's import rules (docs/architecture.md), read from the code's own imports.

Each module's imports are resolved to `builder.<folder or module>` from its AST (relative
imports included, and those made inside functions or under TYPE_CHECKING: a cycle for
the type checker is still a cycle for a reader).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "builder"
STAGES = ("read", "parse", "normalize", "validate", "dedup", "write", "card", "release")
COMMANDS = "cli"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every builder module `path` imports, as dotted names."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # `from . import x`
    return {m for m in found if m == "builder" or m.startswith("builder.")}


def _area(module: str) -> str:
    """`builder.release.shards` -> "release"; a top-level module is its own area."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _modules(area: str) -> list[Path]:
    """The files of a folder of builder/, or its one top-level module ("": __init__.py)."""
    if not area:
        return [PACKAGE / "__init__.py"]
    folder = PACKAGE / area
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{area}.py"]


def _offenders(area: str, forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)} imports {module}"
        for path in _modules(area)
        for module in sorted(_imports(path))
        if _area(module) in forbidden
    ]


def test_the_resolver_sees_relative_absolute_and_late_imports() -> None:
    """The rules below are only as good as this: a test that cannot fail checks nothing."""
    card = _imports(PACKAGE / "card" / "data.py")
    assert "builder.config" in card and "builder.card.stats" in card
    release = _imports(PACKAGE / "release" / "write.py")
    assert {"builder.card.data", "builder.release.layout", "builder.write.jsonl"} <= release
    runner = _imports(PACKAGE / "pipeline" / "runner.py")
    assert "builder.dedup.stage" in runner  # imported inside a function and for types only


def test_card_imports_nothing_of_release() -> None:
    """The release writes the card; the card never reaches back (no card <-> release cycle)."""
    assert _offenders("card", {"release", COMMANDS, "pipeline", "contrib"}) == []


def test_no_module_outside_cli_imports_a_command() -> None:
    """Commands call the API; the API never reaches back into a command."""
    areas = {_area(_module_name(p)) for p in PACKAGE.rglob("*.py")} - {COMMANDS}
    assert [o for area in sorted(areas) for o in _offenders(area, {COMMANDS})] == []


@pytest.mark.parametrize("stage", ["read", "parse", "normalize", "validate", "dedup", "card"])
def test_a_stage_never_imports_the_runner_or_the_release(stage: str) -> None:
    """The runner (pipeline/) chains the stages and the release uses them; a stage that
    imported either would tie itself to everything they import."""
    assert _offenders(stage, {"pipeline", "release", "contrib"}) == []


def test_leaf_modules_import_no_stage() -> None:
    """What every stage may import imports no stage itself."""
    leaves = ("config", "model", "errors", "digests", "yamlsafe", "executors")
    stages = set(STAGES) | {COMMANDS, "pipeline", "contrib"}
    assert [o for leaf in leaves for o in _offenders(leaf, stages)] == []
    # write/jsonl.py, which every stage uses for JSONL, imports only the errors.
    assert {_area(m) for m in _imports(PACKAGE / "write" / "jsonl.py")} == {"errors"}


def test_the_module_map_names_every_folder_and_top_level_module() -> None:
    """docs/architecture.md is how a newcomer finds code: a folder or a top-level module
    it does not name is one they cannot find."""
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    folders = sorted(str(p.parent.relative_to(PACKAGE)) for p in PACKAGE.rglob("__init__.py")
                     if p.parent != PACKAGE)
    modules = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert [f for f in folders if f"`{f}/`" not in text] == []
    assert [m for m in modules if f"`{m}`" not in text] == []
