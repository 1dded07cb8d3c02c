"""``classifier serve``: the web service."""
from __future__ import annotations

import argparse
import os

from ..config import DEFAULTS


def _cmd_serve(args: argparse.Namespace) -> int:
    from ..serve.server import run_server
    from ..serve.settings import ServeSettings

    run_server(ServeSettings(model=args.model, host=args.host, port=args.port, workers=args.workers,
                             token=args.token or os.environ.get("CLASSIFIER_TOKEN") or None, insecure=args.insecure,
                             max_upload_bytes=args.max_upload_mb * 1_000_000, max_files=args.max_files,
                             max_units=args.max_units, max_texts=args.max_texts, batch=args.batch,
                             max_request_bytes=max(DEFAULTS.max_request_bytes, args.max_upload_mb * 1_000_000)))
    return 0


def _serve_parser(sub) -> None:
    p = sub.add_parser("serve", help="a web service: the HTTP API, the reviewers' page and a Label Studio backend")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--host", default=DEFAULTS.serve_host, help=f"address to listen on (default {DEFAULTS.serve_host})")
    p.add_argument("--port", type=int, default=DEFAULTS.serve_port, help=f"port (default {DEFAULTS.serve_port})")
    p.add_argument("--workers", type=int, default=DEFAULTS.serve_workers,
                   help=f"processes, each with the model loaded (default {DEFAULTS.serve_workers})")
    p.add_argument("--token", help="require 'Authorization: Bearer TOKEN' on every endpoint but /health "
                                   "(or set CLASSIFIER_TOKEN); needed for a non-loopback --host")
    p.add_argument("--insecure", action="store_true", help="allow a non-loopback --host without a token")
    p.add_argument("--max-upload-mb", type=int, default=DEFAULTS.max_upload_bytes // 1_000_000,
                   help=f"largest file or JSON body, MB (default {DEFAULTS.max_upload_bytes // 1_000_000})")
    p.add_argument("--max-files", type=int, default=DEFAULTS.max_files,
                   help=f"files per /v1/summarize request (default {DEFAULTS.max_files})")
    p.add_argument("--max-units", type=int, default=DEFAULTS.max_units,
                   help=f"units per report (default {DEFAULTS.max_units})")
    p.add_argument("--max-texts", type=int, default=DEFAULTS.max_texts,
                   help=f"sentences or Label Studio tasks per request (default {DEFAULTS.max_texts})")
    p.add_argument("--batch", type=int, default=DEFAULTS.serve_batch,
                   help="reports a worker classifies together when their requests arrive at once; 1: one at a "
                        f"time (default {DEFAULTS.serve_batch})")
    p.set_defaults(func=_cmd_serve)
