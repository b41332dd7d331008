"""Moving through a page with the keyboard only, as someone who uses no mouse."""

from __future__ import annotations


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, max_presses: int = 80) -> int:
    """Press Tab until `locator` has the keyboard focus; return how many presses it took."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if locator.count() and is_focused(locator):
            return presses
    raise AssertionError(f"Tab never reached {locator} in {max_presses} presses")
