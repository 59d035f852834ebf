"""Reading the code references out of the docs and checking each one against the code.

Used by test_architecture_doc.py; see its docstring for what counts as a reference.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from flask import Flask

from elk_adapters.persistence.tables import metadata

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
DOCS = sorted((ROOT / "docs").glob("*.md"))
ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGES = ("elk_domain", "elk_adapters", "elk_web", "elk_cli")
ROOTS = ("src/", "tests/", "docs/", *(f"{p}/" for p in PACKAGES))
BACKTICKED = re.compile(r"`([^`\n]+)`")
ROUTE = re.compile(r"^(GET|POST|GET/POST) (/\S*)$")
IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
DOTTED = re.compile(r"^[A-Za-z_]\w*(?:[.:][A-Za-z_]\w*)+(?:\(\))?$")
FILE_SUFFIXES = (".md", ".py", ".xsd", ".wsdl", ".toml", ".txt", ".sqlite3", ".eml", ".pdf")
# The layout before issue 13 (``git ls-tree bd09e4c src/elk_domain``): its folders and the
# module names that are no module today. A mention of any of them is out of date.
STALE = re.compile(r"elk_domain[./](?:services|model|ports\b|memory)|(?<![\w/])(?:services|model)/")
OLD_MODULES = frozenset(
    {
        "_support", "account_tokens", "audit_view", "documents_okidoc", "documents_parts",
        "documents_registration", "field_catalogue", "field_parsing", "field_spec", "final_test",
        "memory", "okidoc_edit", "okidoc_page", "okidoc_rules", "organisations", "oso_batch",
        "oso_config", "oso_pages", "oso_sync", "oso_transfer", "oso_transport", "parent_account",
        "parent_login", "periods",
    }
)  # fmt: skip


def references(text: str) -> Iterator[str]:
    """Every backticked text of a Markdown page, outside fenced code blocks."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    yield from BACKTICKED.findall(prose)


def _expand(path: str) -> list[str]:
    """``a_{x,y}.py`` → ``a_x.py``, ``a_y.py``."""
    found = re.search(r"\{([^{}]*)\}", path)
    if not found:
        return [path]
    return [
        expanded
        for part in found.group(1).split(",")
        for expanded in _expand(path[: found.start()] + part + path[found.end() :])
    ]


@functools.cache
def _repository_files() -> tuple[str, ...]:
    skipped = {".git", ".venv", "__pycache__", "node_modules"}
    return tuple(
        p.relative_to(ROOT).as_posix()
        for p in ROOT.rglob("*")
        if not skipped & set(p.relative_to(ROOT).parts)
    )


def _path_exists(path: str) -> bool:
    tail = path.rstrip("/")
    for base in (ROOT, SRC):
        if any(base.glob(tail)):
            return True
    return any(f == tail or f.endswith("/" + tail) for f in _repository_files())


def _defined(path: str, names: list[str]) -> bool:
    file = next((b / path for b in (ROOT, SRC) if (b / path).is_file()), None)
    if file is None:
        return False
    tree = ast.parse(file.read_text(encoding="utf-8"))
    defined = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    return set(names) <= defined


def check_path(reference: str) -> str | None:
    """Why the path is wrong, or None."""
    path, *names = reference.split("::")
    for each in _expand(path):
        if not _path_exists(each):
            return f"no such file or folder: {each}"
        if names and not _defined(each, names):
            return f"{each} defines no {'::'.join(names)}"
    return None


def is_path(reference: str) -> bool:
    """A repository path: from a known root, or any relative ``….py`` without spaces."""
    if " " in reference or reference.startswith(("/", ".", "…", "http")) or "<" in reference:
        return False
    return reference.startswith(ROOTS) or reference.split("::")[0].endswith(".py")


@functools.cache
def _modules() -> tuple[str, ...]:
    found = []
    for file in SRC.rglob("*.py"):
        parts = file.relative_to(SRC).with_suffix("").parts
        if "migrations" in parts:
            continue
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return tuple(sorted(found))


def _has(owner: object, name: str) -> object:
    """The attribute, also one a Protocol only annotates; raise AttributeError when missing."""
    if hasattr(owner, name):
        return getattr(owner, name)
    classes = inspect.getmro(owner) if inspect.isclass(owner) else ()
    if any(name in vars(c).get("__annotations__", {}) for c in classes):
        return None
    raise AttributeError(name)


def _resolves(module: str, attributes: list[str]) -> bool:
    try:
        owner: object = importlib.import_module(module)
        for name in attributes:
            owner = _has(owner, name)
    except (ImportError, AttributeError):
        return False
    return True


def check_dotted(reference: str, endpoints: frozenset[str]) -> str | None:
    """Why the dotted name does not resolve, or None (also None: it names no code at all)."""
    if reference.endswith(FILE_SUFFIXES) or reference in endpoints | _string_literals():
        return None
    if _is_column(reference):
        return None
    parts = reference.removesuffix("()").replace(":", ".").split(".")
    full = parts[0] in PACKAGES
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        modules = [m for m in _modules() if m == head or (not full and m.endswith("." + head))]
        if modules:
            if any(_resolves(m, parts[cut:]) for m in modules):
                return None
            return f"{'.'.join(parts[cut:])} is not in {', '.join(modules)}"
    if parts[0] in OLD_MODULES:
        return f"{parts[0]} is a module of the layout before issue 13"
    if full:
        return f"no module {reference}"
    owners = _top_level().get(parts[0], ())
    if owners and not any(_resolves(m, parts) for m in owners):
        return f"{'.'.join(parts[1:])} is not in {parts[0]} ({', '.join(owners)})"
    return None


@functools.cache
def _trees() -> tuple[tuple[str, ast.Module], ...]:
    """(module, syntax tree) of every module of src/ and tests/."""
    found = []
    for base in (SRC, ROOT / "tests"):
        for file in base.rglob("*.py"):
            module = ".".join(file.relative_to(base).with_suffix("").parts)
            found.append((module, ast.parse(file.read_text(encoding="utf-8"))))
    return tuple(found)


@functools.cache
def _top_level() -> dict[str, tuple[str, ...]]:
    """Name → the modules of src/ that define it at their top level (class, function, constant)."""
    owners: dict[str, list[str]] = {}
    for module, tree in _trees():
        if module.split(".")[0] not in PACKAGES:
            continue
        for node in tree.body:
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            names = [getattr(node, "name", None)] + [getattr(t, "id", None) for t in targets]
            for name in filter(None, names):
                owners.setdefault(name, []).append(module)
    return {name: tuple(modules) for name, modules in owners.items()}


@functools.cache
def _names() -> frozenset[str]:
    """Every name src/ and tests/ define or import anywhere: modules, classes, functions,
    parameters, variables and attributes assigned, and the string constants of src/."""
    names: set[str] = set()
    for module, tree in _trees():
        names.update(module.split("."))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[-1])
            elif isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.id if isinstance(node, ast.Name) else node.attr)
    return frozenset(names) | _string_literals()


def check_name(reference: str) -> str | None:
    """Why a bare name (``edit_fields``, ``OkidocWork``) is no name of the code, or None."""
    return None if reference in _names() else f"no such name in src/ or tests/: {reference}"


@functools.cache
def _string_literals() -> frozenset[str]:
    """Every string constant in src/: audit actions (``okidoc.wijzigen``), endpoints, …"""
    return frozenset(
        node.value
        for file in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _is_column(reference: str) -> bool:
    """``okidocs.version``: a column of a table of the schema."""
    table, _, column = reference.partition(".")
    return table in metadata.tables and column in metadata.tables[table].c


def check_route(reference: str, app: Flask) -> str | None:
    """Why the route is not the app's, or None."""
    methods, rule = ROUTE.match(reference).groups()  # type: ignore[union-attr]
    for found in app.url_map.iter_rules():
        if found.rule == rule and set(methods.split("/")) <= (found.methods or set()):
            return None
    return f"the web app has no {methods} {rule}"


def problems(doc: Path, app: Flask) -> list[str]:
    """Every reference of ``doc`` that names no code of today, with the reason."""
    endpoints = frozenset(app.view_functions)
    text = doc.read_text(encoding="utf-8")
    found = [f"names the layout before issue 13: {old}" for old in STALE.findall(text)]
    for reference in references(text):
        if ROUTE.match(reference):
            why = check_route(reference, app) if doc == ARCHITECTURE else None
        elif is_path(reference):
            why = check_path(reference)
        elif DOTTED.match(reference):
            why = check_dotted(reference, endpoints)
        elif IDENTIFIER.match(reference) and doc == ARCHITECTURE:
            why = check_name(reference)
        else:
            why = None
        if why:
            found.append(f"`{reference}`: {why}")
    return found


def areas() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["name"].startswith("The domain's areas"))["layers"]
    return [name.strip() for layer in layers for name in layer.split("|")]


def docstring_problems(root: Path = SRC) -> list[str]:
    """Names of the layout before issue 13 in the docstrings under ``root`` (modules, classes,
    functions): its folders, and ````old_module.name```` or ````services.name````."""
    found = []
    for file in sorted(root.rglob("*.py")):
        if "migrations" in file.parts:
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, kinds))]:
            text = ast.get_docstring(node) or ""
            found += [f"{file.name}: {old}" for old in STALE.findall(text)]
            for name in re.findall(r"``([\w.]+)``", text):
                head, dot, _ = name.partition(".")
                if dot and (head in OLD_MODULES or head == "services"):
                    found.append(f"{file.name}: ``{name}``")
    return found
