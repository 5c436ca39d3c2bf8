import ast
from pathlib import Path

from django.conf import settings

from alignment.demo import Stage
from alignment.demo import registered_steps

OTHER_APPS = {"research", "launches", "metrics"}


def test_each_app_registers_its_demo_in_the_order_it_builds_on():
    steps = [(step.stage, step.seed.__module__) for step in registered_steps()]
    assert steps == [
        (Stage.SUBJECTS, "research.demo"),  # the persona and competitor messaging cites
        (Stage.CORE, "alignment.messaging.demo"),
        (Stage.CORE, "alignment.collaboration.demo"),
        (Stage.CONTENT, "research.demo"),
        (Stage.CONTENT, "launches.demo"),
        (Stage.CONTENT, "metrics.demo"),  # imports data about launches' campaigns
    ]


def _imported(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        return [node.module or ""]
    if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
        "import_module",
        "import_string",
        "__import__",
    }:
        return [arg.value for arg in node.args[:1] if isinstance(arg, ast.Constant)]
    return []


def test_the_core_imports_no_other_app():
    root = Path(settings.BASE_DIR) / "alignment"
    found = [
        f"{path.relative_to(root.parent)}:{node.lineno} {name}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for name in _imported(node)
        if isinstance(name, str) and name.split(".")[0] in OTHER_APPS
    ]
    assert found == []
