"""Architecture: riskwizard/safefile.py is the only module of the package that writes to disk."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "riskwizard"
OWNER = PACKAGE / "safefile.py"

# attribute calls that write, move, copy or delete files, on any object (Path methods, os, shutil)
WRITING_ATTRS = {
    "write_text", "write_bytes", "touch", "mkdir", "makedirs", "rmdir", "unlink", "remove", "rename", "replace",
    "link", "symlink", "symlink_to", "hardlink_to", "chmod", "fchmod", "truncate", "ftruncate", "mkfifo",
    "copy", "copy2", "copyfile", "copytree", "copyfileobj", "move", "rmtree",
    "NamedTemporaryFile", "TemporaryFile", "mkstemp", "mkdtemp", "TemporaryDirectory", "fdopen",
}
# module-qualified names where the attribute alone would be ambiguous (str.replace, list.remove, dict.copy)
AMBIGUOUS = {"replace", "remove", "copy", "move", "link", "truncate"}
FILE_MODULES = {"os", "shutil", "tempfile", "pathlib", "Path"}
WRITE_MODE_CHARS = set("wax+")


def _writes(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "open":
        mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and WRITE_MODE_CHARS & set(mode.value):
            return f"open(..., {mode.value!r})"
        if mode is not None and not isinstance(mode, ast.Constant):
            return "open() with a computed mode"
        return None
    if not isinstance(func, ast.Attribute):
        return None
    name = func.attr
    owner = func.value.id if isinstance(func.value, ast.Name) else None
    if name == "open" and owner == "os":
        return "os.open"
    if name == "write" and owner == "os":
        return "os.write"
    if name == "open" and any(isinstance(a, ast.Constant) and isinstance(a.value, str)
                              and WRITE_MODE_CHARS & set(a.value) for a in node.args[:1]):
        return f".open({node.args[0].value!r})"  # type: ignore[attr-defined]
    if name == "write_pdf":  # WeasyPrint writes only when given a target; without one it returns bytes
        return ".write_pdf(target)" if node.args or any(k.arg == "target" for k in node.keywords) else None
    if name not in WRITING_ATTRS:
        return None
    if name in AMBIGUOUS and owner not in FILE_MODULES:
        # `str.replace(a, b)`, `list.remove(x)`, `dict.copy()`: a path's `.replace(target)` takes one argument
        one_arg_replace = name == "replace" and len(node.args) == 1 and not node.keywords
        on_path = isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name) and (
            func.value.func.id == "Path")
        if not (one_arg_replace or on_path):
            return None
    return f".{name}()"
    return None


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {what}"
            for node in ast.walk(tree) if isinstance(node, ast.Call) and (what := _writes(node))]


def test_only_safefile_writes_to_disk() -> None:
    offences = [o for path in sorted(PACKAGE.rglob("*.py")) if path != OWNER for o in _offences(path)]
    assert not offences, "modules other than riskwizard/safefile.py write to disk:\n" + "\n".join(offences)


def test_the_checker_catches_writes(tmp_path: Path) -> None:
    """The AST check is not vacuous: each way of writing is recognised."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, shutil\nfrom pathlib import Path\n"
        "open('x', 'w')\nPath('x').write_text('a')\nos.replace('a', 'b')\nshutil.copy2('a', 'b')\n"
        "p.write_bytes(b'')\nos.open('x', 1)\np.unlink()\np.mkdir()\nopen('x', mode='ab')\n"
        "'text'.replace('a', 'b')\nopen('x')\ntmp.replace(out)\n", encoding="utf-8")
    found = [line.split(": ", 1)[1] for line in _offences_any(sample)]
    assert found == ["open(..., 'w')", ".write_text()", ".replace()", ".copy2()", ".write_bytes()", "os.open",
                     ".unlink()", ".mkdir()", "open(..., 'ab')",
                     ".replace()"]


def _offences_any(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    return [f"{node.lineno}: {what}" for node in calls if (what := _writes(node))]
