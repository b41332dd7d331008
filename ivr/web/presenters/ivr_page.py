"""The IVR page's parts for any IVR document: its checks, its call-flow tree and the keypad's call.

A live IVR, a draft and a version to revert to are all drawn through `ivr_view`, so they look alike.
"""

from dataclasses import dataclass

from ivr.engine.document import IvrDocument
from ivr.engine.lint import lint
from ivr.engine.lint.findings import Finding
from ivr.engine.lookups import Lookups
from ivr.web.presenters.call_flow import CallFlow, build_call_flow
from ivr.web.presenters.try_it import TryIt, try_call


@dataclass(frozen=True, slots=True)
class IvrView:
    """Everything the IVR page draws for one document."""

    document: IvrDocument
    lookups: Lookups
    findings: tuple[Finding, ...]
    flow: CallFlow
    try_it: TryIt


def ivr_view(
    *, document: IvrDocument, lookups: Lookups, call: str = "", press: str | None = None
) -> IvrView:
    """The checks, the call-flow tree and the keypad's call for any IVR document.

    `call` and `press` are the keypad's parameters (see ivr.web.presenters.try_it.try_call); the
    tree marks the path the call took.
    """
    findings = lint(document, lookups)
    try_it = try_call(document=document, lookups=lookups, call=call, press=press)
    # Before the first press the tree marks no path: nobody has called yet.
    path = try_it.call if try_it.started else None
    flow = build_call_flow(document=document, lookups=lookups, findings=findings, call=path)
    return IvrView(document, lookups, findings, flow, try_it)
