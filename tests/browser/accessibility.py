"""axe-core on the page as it is now: our vendored copy (tests/browser/vendor/axe-core, from
the npm registry; nothing is fetched), run by axe-playwright-python, whose own bundled copy is
older."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

AXE_CORE_VERSION = "4.14.1"
AXE_CORE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
_AXE = Axe.from_file(AXE_CORE_SCRIPT)


def accessibility_problems(page, *, within: str | None = None) -> list[str]:
    """The serious and critical axe-core violations on the page (or inside `within`, a CSS
    selector), one line each: rule, impact, what to fix and where."""
    options = {"resultTypes": ["violations"]}
    results = _AXE.run(page, context=within, options=options)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        problems.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
        )
    return problems


def assert_accessible(page, *, within: str | None = None) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    problems = accessibility_problems(page, within=within)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)
