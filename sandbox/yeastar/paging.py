"""Yeastar's list pages: `page`, `page_size`, `sort_by`, `order_by` in; `total_number` out."""

from __future__ import annotations

from typing import Any

from sandbox.http import Answer, Request
from sandbox.yeastar.envelope import invalid, parameter_error, success


def page_of(
    request: Request,
    items: list[dict[str, Any]],
    key: str,
    sort_fields: tuple[str, ...],
    *,
    paging_required: bool = False,
    default_sort: str = "id",
) -> Answer:
    """One page of `items` under `key`, with the total; every item when no page is asked for
    (and paging is not required: conference/list requires it)."""
    problems = []
    numbers: dict[str, int] = {}
    for name in ("page", "page_size"):
        text = request.query.get(name, "")
        if not text:
            if paging_required:
                problems.append(invalid(name, "required"))
            continue
        if not text.isdigit() or int(text) < 1:
            problems.append(invalid(name, "invalid", text))
        else:
            numbers[name] = int(text)
    sort_by = request.query.get("sort_by") or default_sort
    order_by = request.query.get("order_by") or "asc"
    if sort_by not in sort_fields:
        problems.append(invalid("sort_by", "invalid", sort_by))
    if order_by not in ("asc", "desc"):
        problems.append(invalid("order_by", "invalid", order_by))
    if problems:
        raise parameter_error(problems)
    ordered = sorted(
        items, key=lambda item: _sort_key(item.get(sort_by)), reverse=order_by == "desc"
    )
    size = numbers.get("page_size", len(ordered) or 1)
    start = (numbers.get("page", 1) - 1) * size
    return success(total_number=len(ordered), **{key: ordered[start : start + size]})


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, int):
        return (0, value)
    return (1, str(value).lower())
