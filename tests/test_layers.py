"""Layers run downhill: text -> extraction -> crawling and storage -> site -> command line, with
training, evaluation, comparison and annotation as tooling beside them. A module imports only
from its own layer or the layers below it (tooling: from extraction and below); the README's
architecture section shows this table."""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = {"vnfacts": REPO / "vnfacts", "vnfacts.extractor": REPO / "extractor",
           "vnfacts.crawler": REPO / "crawler", "vnfacts.publish": REPO / "publish"}

# module name prefix -> layer, the most specific prefix wins
LAYERS = {
    "vnfacts.extractor.clean": "text", "vnfacts.extractor.sentences": "text", "vnfacts.extractor.spans": "text",
    "vnfacts.extractor.resources": "text", "vnfacts.extractor.models": "text", "vnfacts.extractor.tokens": "text",
    "vnfacts.extractor.work": "text",
    "vnfacts.extractor": "extraction",
    "vnfacts.extractor.train": "tooling", "vnfacts.extractor.vectors": "tooling", "vnfacts.extractor.evaluate": "tooling",
    "vnfacts.extractor.compare": "tooling", "vnfacts.annotation": "tooling",
    "vnfacts.crawler": "crawling and storage", "vnfacts.publish": "crawling and storage",
    "vnfacts.publish.site": "site", "vnfacts.publish.serve": "site",
    "vnfacts.cli": "command line", "vnfacts.commands": "command line", "vnfacts.api": "command line",
    "vnfacts.__main__": "command line",
}
ORDER = ["text", "extraction", "crawling and storage", "site", "command line"]
# tooling stands beside the chain: it may use extraction and below; only the command line uses it
MAY_IMPORT = {layer: set(ORDER[: i + 1]) for i, layer in enumerate(ORDER)}
MAY_IMPORT["tooling"] = {"text", "extraction", "tooling"}
MAY_IMPORT["command line"] |= {"tooling"}


def layer_of(module: str) -> str | None:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len, default=None)
    return LAYERS[best] if best else None


def modules() -> dict[str, Path]:
    out = {}
    for package, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            parts = [p for p in path.relative_to(folder).with_suffix("").parts if p != "__init__"]
            name = ".".join([package, *parts])
            if package == "vnfacts" and parts and parts[0] in ("extractor", "crawler", "publish"):
                continue
            out[name] = path
    return out


def imported(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            found |= {n for n in names if n in MODULES} or {target}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m.startswith("vnfacts.")}


MODULES = modules()


def test_every_module_has_a_layer():
    assert not [m for m in MODULES if m != "vnfacts" and layer_of(m) is None]


def uphill(name: str, path: Path) -> list[str]:
    mine = layer_of(name)
    wrong = []
    for target in sorted(imported(name, path)):
        theirs = layer_of(target)
        if mine is not None and theirs is not None and theirs not in MAY_IMPORT[mine]:
            wrong.append(f"{name} ({mine}) imports {target} ({theirs})")
    return wrong


def test_imports_run_downhill():
    wrong = [w for name, path in sorted(MODULES.items()) for w in uphill(name, path)]
    assert not wrong, "imports that run uphill:\n" + "\n".join(wrong)


def test_the_check_sees_an_uphill_import(tmp_path):
    """The test can fail: a finder importing storage, or storage importing the command line, is caught."""
    finder = tmp_path / "orgs.py"
    finder.write_text("from vnfacts.publish.load import load_documents\nfrom ..publish import schema\n")
    assert len(uphill("vnfacts.extractor.orgs", finder)) == 2
    store = tmp_path / "load.py"
    store.write_text("from vnfacts.api import extract_to\nfrom .site import plugin\n")
    assert len(uphill("vnfacts.publish.load", store)) == 2
