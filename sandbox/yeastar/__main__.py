"""python -m sandbox.yeastar --port 8766 [--state FILE] [--host 127.0.0.1]: serve the local
Yeastar P-Series API with the demo PBX."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from sandbox.server import serve
from sandbox.yeastar import build_app

DEFAULT_STATE = Path(__file__).resolve().parents[2] / "var" / "yeastar-sandbox-state.json"


def _stop(signum: int, frame: object) -> None:
    """SIGTERM (make run stopping) ends the server as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.yeastar", description=__doc__)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only, unless you mean it")
    parser.add_argument(
        "--state",
        type=Path,
        default=DEFAULT_STATE,
        help="file the PBX is kept in across restarts (missing: start from the demo PBX)",
    )
    parser.add_argument(
        "--no-save", action="store_true", help="read --state at start but never write it back"
    )
    args = parser.parse_args(argv)
    app = build_app(state_file=args.state)
    if args.no_save:
        app.state_file = None
    signal.signal(signal.SIGTERM, _stop)
    print(f"Yeastar sandbox on http://{args.host}:{args.port} (state: {args.state})", flush=True)
    try:
        serve(app, host=args.host, port=args.port)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(
            f"The Yeastar sandbox could not listen on {args.host}:{args.port}: {error}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
