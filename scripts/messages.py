"""The package's message catalogs: `update` them from the sources, or `check` them (CI).

    python scripts/messages.py update   # makemessages for every language, then compilemessages
    python scripts/messages.py check    # fails if a catalog is stale, incomplete or not compiled

`make messages` and `make messages-check` run these. Both run Django's makemessages from the
package directory with the test settings (every app of ours installed), so the catalogs hold the
strings of the templates and the Python code of `wagtail_series/` and nothing else. The check
regenerates the catalogs in a temporary copy of the package and compares message ids, so it is
blind to line numbers and dates and needs no write access to the tree.

Needs GNU gettext (xgettext, msgmerge, msgfmt) on the PATH, as Django's commands do.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wagtail_series"
LANGUAGES = ("fr", "de")
SETTINGS = "tests.settings"
# File-level locations only: line numbers would change the catalogs on every edit.
MAKEMESSAGES = ["makemessages", "--add-location=file", "--ignore=migrations/*"]


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.context, self.msgid, self.plural)


def _unquote(text: str) -> str:
    # PO strings are C-like quoted strings; these are the escapes xgettext writes.
    body = text.strip()[1:-1]
    out, i = [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file as makemessages writes it (blank lines between entries), the
    header (msgid "") included."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = Entry()
        target: tuple[str, int] | None = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
                if not line or line.startswith("|"):  # "#~|": a previous msgid
                    continue
            elif line.startswith("#,"):
                entry.fuzzy = "fuzzy" in [flag.strip() for flag in line[2:].split(",")]
                continue
            elif not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                if target is None:
                    raise ValueError(f"{path}: a string continues nothing: {raw!r}")
                name, index = target
                if name == "msgstr":
                    entry.msgstrs[index] += _unquote(line)
                else:
                    setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
                continue
            keyword, _, rest = line.partition(" ")
            if keyword == "msgctxt":
                entry.context, target = _unquote(rest), ("context", 0)
            elif keyword == "msgid":
                entry.msgid, target = _unquote(rest), ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.plural, target = _unquote(rest), ("plural", 0)
            elif keyword == "msgstr" or keyword.startswith("msgstr["):
                index = int(keyword[7:-1]) if keyword != "msgstr" else 0
                entry.msgstrs.extend([""] * (index + 1 - len(entry.msgstrs)))
                entry.msgstrs[index] = _unquote(rest)
                target = ("msgstr", index)
            else:
                raise ValueError(f"{path}: unexpected line {raw!r}")
        if target is not None:
            entries.append(entry)
    return entries


def catalog_paths(base: Path, language: str) -> tuple[Path, Path]:
    directory = base / "locale" / language / "LC_MESSAGES"
    return directory / "django.po", directory / "django.mo"


def _django_admin(package_dir: Path, *args: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "django", *args]
    print("+ (cd", package_dir.relative_to(package_dir.parent), "&&", *command[1:], ")")
    subprocess.run(command, cwd=package_dir, env=env, check=True)


def makemessages(package_dir: Path) -> None:
    _django_admin(package_dir, *MAKEMESSAGES, *[f"--locale={lang}" for lang in LANGUAGES])


def compilemessages(package_dir: Path) -> None:
    _django_admin(package_dir, "compilemessages", *[f"--locale={lang}" for lang in LANGUAGES])


def problems(po: Path, fresh: Path | None) -> list[str]:
    """What is wrong with catalog ``po``; ``fresh`` is the catalog makemessages makes now."""
    found = []
    entries = [e for e in read_po(po) if e.msgid]
    for entry in entries:
        name = repr(entry.msgid[:60])
        if entry.obsolete:
            found.append(f"obsolete entry {name}")
        elif entry.fuzzy:
            found.append(f"fuzzy entry {name}")
        elif not entry.msgstrs or not all(entry.msgstrs):
            found.append(f"untranslated {name}")
    if fresh is not None:
        committed = {e.key for e in entries if not e.obsolete}
        wanted = {e.key for e in read_po(fresh) if e.msgid and not e.obsolete}
        found += [
            f"missing {key[1][:60]!r} (run make messages)"
            for key in sorted(wanted - committed, key=str)
        ]
        found += [
            f"not in the sources {key[1][:60]!r}" for key in sorted(committed - wanted, key=str)
        ]
    return found


def compiled_differs(po: Path, mo: Path) -> bool:
    """Whether ``mo`` says something else than ``po`` (compared as catalogs, not bytes)."""
    if not mo.exists() or mo.stat().st_size == 0:
        return True
    with mo.open("rb") as stream:
        catalog = gettext.GNUTranslations(stream)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in read_po(po):
        if entry.obsolete or (entry.fuzzy and entry.msgid):
            continue
        msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.plural is None:
            expected[msgid] = entry.msgstrs[0]
        else:
            for index, text in enumerate(entry.msgstrs):
                expected[(msgid, index)] = text
    actual = {k: v for k, v in catalog.items() if k != ""}
    expected.pop("", None)
    return actual != expected


def check() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / PACKAGE.name
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        makemessages(copy)
        for language in LANGUAGES:
            po, mo = catalog_paths(PACKAGE, language)
            if not po.exists():
                failures.append(f"{po.relative_to(ROOT)}: missing (run make messages)")
                continue
            fresh, _ = catalog_paths(copy, language)
            for problem in problems(po, fresh):
                failures.append(f"{po.relative_to(ROOT)}: {problem}")
            if compiled_differs(po, mo):
                failures.append(f"{mo.relative_to(ROOT)}: not compiled from the .po")
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        print(f"{len(failures)} problem(s) in the message catalogs.", file=sys.stderr)
        return 1
    print("Message catalogs are complete and up to date:", ", ".join(LANGUAGES))
    return 0


def update() -> int:
    makemessages(PACKAGE)
    compilemessages(PACKAGE)
    return 0


if __name__ == "__main__":
    actions = {"update": update, "check": check}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(actions)}}}")
    sys.exit(actions[sys.argv[1]]())
