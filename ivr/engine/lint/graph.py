"""The menus of an IVR as a graph: which menus callers reach, and where they can get stuck."""

from ivr.engine.destinations import GoToMenu
from ivr.engine.document import DEFAULT_KEYPRESS, IvrDocument, Menu


class MenuGraph:
    """Menus linked by their menu routes (routes to menus that do not exist are left out)."""

    def __init__(self, document: IvrDocument) -> None:
        self.menus: dict[str, Menu] = {menu.key: menu for menu in document.menus}
        self.order = [menu.key for menu in document.menus]
        self.targets: dict[str, list[str]] = {
            menu.key: [
                route.destination.menu_key
                for route in menu.routes
                if isinstance(route.destination, GoToMenu)
                and route.destination.menu_key in self.menus
            ]
            for menu in document.menus
        }
        start = document.default_menu
        self.reachable: frozenset[str] = self._reached_from([start.key] if start else [])
        self.can_leave: frozenset[str] = self._menus_with_a_way_out()

    def _reached_from(self, starts: list[str]) -> frozenset[str]:
        seen: set[str] = set()
        pending = list(starts)
        while pending:
            key = pending.pop()
            if key not in seen:
                seen.add(key)
                pending.extend(self.targets[key])
        return frozenset(seen)

    def _menus_with_a_way_out(self) -> frozenset[str]:
        """Menus from which some path of keys ends the IVR (a group, voicemail, a number...)."""
        leave = {
            key
            for key, menu in self.menus.items()
            if any(not isinstance(route.destination, GoToMenu) for route in menu.routes)
        }
        changed = True
        while changed:
            changed = False
            for key in self.order:
                if key not in leave and any(t in leave for t in self.targets[key]):
                    leave.add(key)
                    changed = True
        return frozenset(leave)

    def loops_without_way_out(self) -> list[tuple[Menu, ...]]:
        """Groups of reachable menus that lead only to each other, in document order."""
        stuck = [k for k in self.order if k in self.reachable and k not in self.can_leave]
        loops = []
        for component in _strongly_connected(stuck, self.targets):
            key = component[0]
            if len(component) > 1 or key in self.targets[key]:
                loops.append(tuple(self.menus[k] for k in component))
        return loops

    def no_key_loops(self) -> list[tuple[Menu, ...]]:
        """Cycles of default routes among reachable menus that do have a way out by key."""
        loops: list[tuple[Menu, ...]] = []
        seen_cycles: set[frozenset[str]] = set()
        for start in self.order:
            if start not in self.reachable:
                continue
            path: list[str] = []
            key: str | None = start
            while key is not None and key not in path:
                path.append(key)
                key = self._default_target(key)
            if key is None:
                continue
            cycle = path[path.index(key) :]
            if frozenset(cycle) in seen_cycles or not any(k in self.can_leave for k in cycle):
                continue  # already reported, or a loop with no way out (reported as an error)
            seen_cycles.add(frozenset(cycle))
            first = min(cycle, key=self.order.index)
            turn = cycle.index(first)
            loops.append(tuple(self.menus[k] for k in cycle[turn:] + cycle[:turn]))
        return loops

    def _default_target(self, key: str) -> str | None:
        route = self.menus[key].route(DEFAULT_KEYPRESS)
        if route is None or not isinstance(route.destination, GoToMenu):
            return None
        target = route.destination.menu_key
        return target if target in self.menus else None


def _strongly_connected(keys: list[str], targets: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm over `keys` (edges leaving `keys` are ignored), in input order."""
    inside = set(keys)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(key: str) -> None:
        index[key] = low[key] = len(index)
        stack.append(key)
        on_stack.add(key)
        for target in targets[key]:
            if target not in inside:
                continue
            if target not in index:
                visit(target)
                low[key] = min(low[key], low[target])
            elif target in on_stack:
                low[key] = min(low[key], index[target])
        if low[key] == index[key]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == key:
                    break
            components.append(sorted(component, key=keys.index))

    for key in keys:
        if key not in index:
            visit(key)
    return sorted(components, key=lambda component: keys.index(component[0]))
