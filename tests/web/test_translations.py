"""The English catalogue of the parents' portal (decision 0048, docs/translations.md): it holds
exactly the texts the code marks, each with an English translation that keeps its placeholders;
the committed .mo is the compiled .po; and every refusal a parent can get from the domain is a
``Message`` (so it has a template in the catalogue), never a bare Dutch string."""

from __future__ import annotations

import ast
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LC = ROOT / "src/elk_web/translations/en/LC_MESSAGES"
RUN = "run `make translations` (docs/translations.md)"
# The modules behind the parents' pages: whatever they refuse, a parent may read. Left out, as
# staff only: parents/eligibility.py (why the school may not send the ouderinlog yet) and
# parents/priority.py (the VO school judging a priority claim), parents/orientation.py (an
# operator loading orientation lists).
STAFF_ONLY_MODULES = {"eligibility.py", "priority.py", "orientation.py"}
PARENT_MODULES = [
    *(
        p
        for p in sorted((ROOT / "src/elk_domain/parents").glob("*.py"))
        if p.name not in STAFF_ONLY_MODULES
    ),
    ROOT / "src/elk_domain/kernel/password_rules.py",
    ROOT / "src/elk_domain/accounts/throttle.py",
    *sorted((ROOT / "src/elk_web/parents").glob("*.py")),
]
REFUSALS = {"Rejected", "Forbidden", "NotFound", "Conflict", "Unavailable", "ElkError"}


def _catalogue() -> Catalog:
    with (LC / "messages.po").open("rb") as po:
        return read_po(po)


Text = str | tuple[str, ...]  # a plural (ngettext) is its singular and plural together


def _extracted() -> set[Text]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "Message": None}
    found = extract_from_dir(ROOT, method_map, options_map, keywords=keywords)
    return {m if isinstance(m, str) else tuple(m) for _, _, m, _, _ in found}


def _forms(text: Text) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else tuple(text)


def _placeholders(text: str) -> set[str]:
    named = set(re.findall(r"%\((\w+)\)s", text))
    braces = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    return named | braces


class TestCatalogue:
    def test_holds_exactly_the_marked_texts(self) -> None:
        marked = _extracted()
        listed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in _catalogue() if m.id}
        assert marked - listed == set(), f"texts missing from the catalogue: {RUN}"
        assert listed - marked == set(), f"texts no longer in the code: {RUN}"
        assert len(marked) > 80  # the parents' pages, their flashes and the domain's messages

    def test_every_text_has_an_english_translation_with_the_same_placeholders(self) -> None:
        for message in _catalogue():
            if not message.id:
                continue
            dutch, english = _forms(message.id), _forms(message.string)
            assert all(english), f"no English for {message.id!r}"
            assert not message.fuzzy, f"fuzzy English for {message.id!r}"
            for form in english:  # a plural's forms each say every placeholder of the Dutch
                assert _placeholders(form) == _placeholders(dutch[-1]), message.id
                assert '"' not in form, "translations stand in HTML attributes too"
            for form in dutch:
                assert "%" not in re.sub(r"%\(\w+\)s", "", form), "Jinja formats with %"

    def test_the_committed_mo_is_the_compiled_po(self) -> None:
        compiled = io.BytesIO()
        write_mo(compiled, _catalogue())
        assert (LC / "messages.mo").read_bytes() == compiled.getvalue(), RUN


PARENT_TEMPLATES = sorted((ROOT / "src/elk_web/templates/parents").glob("*.html"))
NOT_WORDS = {"ELK", "English", "Nederlands"}  # the brand, and each language's own name


def _unmarked(template: str) -> list[str]:
    """Visible text and labelling attributes of a template that are not inside ``_()`` or
    ``{% trans %}``: a text a parent would read in Dutch on an English page."""
    text = re.sub(r"\{%-? *trans\b.*?endtrans *-?%\}", "", template, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", text, flags=re.S)
    found = [m.group(1).strip() for m in re.finditer(r">([^<>]*[A-Za-z]{2,}[^<>]*)<", text)]
    found += [m.group(0) for m in re.finditer(r'(aria-label|title|placeholder|alt)="[^"]*\w', text)]
    return [f for f in found if f not in NOT_WORDS]


@pytest.mark.parametrize("path", PARENT_TEMPLATES, ids=lambda p: p.name)
def test_every_text_of_a_parents_template_is_marked(path: Path) -> None:
    assert _unmarked(path.read_text()) == []


def test_the_template_check_finds_an_unmarked_text() -> None:
    probe = (
        '<p>{{ _("Goed") }}</p><h2>Fout</h2>'
        '<b aria-label="Ook fout">{% trans %}Goed{% endtrans %}</b><span>English</span>'
    )
    assert _unmarked(probe) == ["Fout", 'aria-label="Ook fout']


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = node.value
    return found


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _assigned(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Every value given to each plain name, in any function of the module."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(node.value)
    return found


def _plain(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp) and not (
        isinstance(node, ast.Constant) and not isinstance(node.value, str)
    )


def _is_plain_text(node: ast.expr, names: dict[str, list[ast.expr]]) -> bool:
    """A Dutch string that is not a Message: a literal, an f-string, a sum, or a name that is
    given one anywhere in the module (a constant, or a local ``message = f"..."``)."""
    if isinstance(node, ast.Name):
        return any(_plain(value) for value in names.get(node.id, []))
    return _plain(node)


def _sentence(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    constants = _module_constants(tree)
    problems = [
        f"{path.name}: {name} is a table of plain Dutch sentences, not Messages"
        for name, value in constants.items()
        if isinstance(value, ast.Dict) and any(_sentence(v) for v in value.values)
    ]
    names = _assigned(tree)
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name, where = _name(call), f"{path.name}:{call.lineno}"
        text = None
        if name in REFUSALS and call.args:
            text = call.args[0]
        elif name == "Violation" and len(call.args) > 1:
            text = call.args[1]
        if text is not None and _is_plain_text(text, names):
            problems.append(f"{where}: {name} with a plain string, not a Message")
        if name == "Message":
            first = call.args[0] if call.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                problems.append(f"{where}: Message needs a literal template (for extraction)")
    return problems


@pytest.mark.parametrize("path", PARENT_MODULES, ids=lambda p: p.name)
def test_every_refusal_a_parent_can_get_is_a_message(path: Path) -> None:
    assert _problems(path) == []


def test_the_walk_finds_a_plain_refusal(tmp_path: Path) -> None:
    """The check above fires: a bare Dutch refusal and a template that cannot be extracted."""
    bad = tmp_path / "probe.py"
    source = 'X = "Fout."\nraise Rejected(X)\nViolation("p", f"{x} fout")\nMessage(x)\n'
    local = 'def f(x):\n    why = f"{x} is dicht."\n    return Violation("p", why)\n'
    bad.write_text(source + 'WHY = {1: "Het is dicht.", 2: Message("Het is open.")}\n' + local)
    assert [p.split(": ", 1)[1] for p in _problems(bad)] == [
        "WHY is a table of plain Dutch sentences, not Messages",
        "Rejected with a plain string, not a Message",
        "Violation with a plain string, not a Message",
        "Message needs a literal template (for extraction)",
        "Violation with a plain string, not a Message",
    ]
