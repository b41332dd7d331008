"""Lint: everything about an IVR that would strand, confuse or lose a caller, before it is live.

`lint(document, lookups)` returns findings, errors first. Errors block publishing, warnings do
not. Rules about what callers experience (a menu with no routes, no default route, a loop with
no way out, no greeting) apply to the menus callers can reach from the menu they hear first; a
menu nobody reaches gets one warning instead (ivr.engine.lint.menus). Rules about broken
references and malformed routes apply to every menu (ivr.engine.lint.routes).
"""

from ivr.engine.document import IvrDocument
from ivr.engine.lint.findings import Finding, Severity
from ivr.engine.lint.graph import MenuGraph
from ivr.engine.lint.menus import caller_path_findings, ivr_findings, menu_findings
from ivr.engine.lint.routes import route_findings
from ivr.engine.lookups import Lookups


def lint(document: IvrDocument, lookups: Lookups) -> tuple[Finding, ...]:
    """Every problem found in the IVR, errors first, then in menu and keypad order."""
    graph = MenuGraph(document)
    findings = [
        *ivr_findings(document, lookups, graph),
        *caller_path_findings(document, graph),
    ]
    for menu in document.menus:
        findings.extend(menu_findings(document, menu, lookups, graph))
        findings.extend(route_findings(document, menu, lookups))
    menu_order = {menu.key: position for position, menu in enumerate(document.menus)}
    return tuple(
        sorted(
            findings,
            key=lambda f: (
                f.severity is not Severity.ERROR,
                -1 if f.menu_key is None else menu_order.get(f.menu_key, 0),
            ),
        )
    )
