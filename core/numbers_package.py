"""TalkAdmin's `numbers` app shares its name with the standard library's `numbers` module.

The standard module holds the numeric abstract base classes (Number, Integral, ...) that
decimal, fractions and Django itself import. Whichever of the two is imported first becomes
`numbers` in sys.modules, so they are made one module that serves both purposes:
- if the app is imported first, numbers/__init__.py loads the standard module's definitions;
- if the standard module is imported first, it is lent the app's folder (talkadmin/__init__.py),
  so `numbers.web.views.numbers`, `numbers.services.settings`, ... import from this project.
"""

import sys
import sysconfig
from pathlib import Path
from typing import Any

APP_FOLDER = Path(__file__).resolve().parent.parent / "numbers"
STANDARD_SOURCE = Path(sysconfig.get_paths()["stdlib"]) / "numbers.py"


def load_standard_definitions(namespace: dict[str, Any]) -> None:
    """Run the standard library's numbers.py inside `namespace` (the app package's globals)."""
    code = compile(STANDARD_SOURCE.read_text(), str(STANDARD_SOURCE), "exec")
    exec(code, namespace)  # noqa: S102 - the interpreter's own standard-library source


def lend_app_folder_to_standard_module() -> None:
    """Let `numbers.<submodule>` find the app's modules when the standard module came first."""
    module = sys.modules.get("numbers")
    if module is not None and not hasattr(module, "__path__"):
        module.__path__ = [str(APP_FOLDER)]
