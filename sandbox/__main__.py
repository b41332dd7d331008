"""python -m sandbox --port 8765 [--state FILE] [--host 127.0.0.1]: serve the local Talk API."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from sandbox import build_app
from sandbox.server import serve

DEFAULT_STATE = Path(__file__).resolve().parent.parent / "var" / "sandbox-state.json"


def _stop(signum: int, frame: object) -> None:
    """SIGTERM (make run stopping) ends the server as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only, unless you mean it")
    parser.add_argument(
        "--state",
        type=Path,
        default=DEFAULT_STATE,
        help="file the account is kept in across restarts (missing: start from the demo account)",
    )
    parser.add_argument(
        "--no-save",
        action="store_true",
        help="read --state at start but never write changes back (benchmarks: saving a large "
        "account after every change would be counted as Zendesk's time)",
    )
    args = parser.parse_args(argv)
    app = build_app(state_file=args.state)
    if args.no_save:
        app.state_file = None
    signal.signal(signal.SIGTERM, _stop)
    print(f"Talk sandbox on http://{args.host}:{args.port} (state: {args.state})", flush=True)
    try:
        serve(app, host=args.host, port=args.port)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(
            f"The Talk sandbox could not listen on {args.host}:{args.port}: {error}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
