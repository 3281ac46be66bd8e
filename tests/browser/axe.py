"""axe-core in the real browser: the accessibility checks of the browser tests.

axe-core's ``axe.min.js`` comes from the ``axe-playwright-python`` package (the ``dev`` extra),
injected into the page as it is; nothing is fetched at run time.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

BLOCKING = {"serious", "critical"}


def axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()


def axe_violations(page: Any, include: str | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on ``page`` (within the ``include`` selector, if given), WCAG 2.x
    A and AA rules and best practices, as ``{"id", "impact", "help", "targets"}``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    results = page.evaluate(
        """async (include) => {
            const context = include ? {include: [include]} : document;
            return await axe.run(context, {resultTypes: ["violations"]});
        }""",
        include,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
    ]


def assert_no_serious_violation(page: Any, include: str | None = None) -> list[dict[str, Any]]:
    """No serious or critical axe-core violation; returns every violation (minor ones too)."""
    violations = axe_violations(page, include)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{page.url}: {blocking}"
    return violations
