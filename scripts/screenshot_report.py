"""Render the sample report's HTML page in headless Chromium and save a screenshot for the README.

    python scripts/screenshot_report.py [REPORT] [--output docs/report-screenshot.png]

Needs Debian's chromium (``apt-get install chromium``) and a CJK font (``fonts-noto-cjk``)
so that the Chinese text shows as characters rather than boxes.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from classifier.review.html_report import report_html  # noqa: E402

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--hide-scrollbars")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=str(ROOT / "data" / "reports" / "2022-yongle-town.txt"))
    parser.add_argument("--output", default=str(ROOT / "docs" / "report-screenshot.png"))
    parser.add_argument("--size", default="1200,1500", help="window width,height in pixels")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("error: chromium not found; install it with: apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(report_html(None, args.report), encoding="utf-8")
        out = Path(args.output).resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp}/profile", f"--window-size={args.size}",
                        f"--screenshot={out}", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"screenshot written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
