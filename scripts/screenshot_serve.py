"""Start `classifier serve`, upload report files through its page in headless Chromium, save a screenshot.

    python scripts/screenshot_serve.py [REPORT ...] [--output docs/serve-screenshot.png]

Needs the `serve` and `test` extras (FastAPI, uvicorn, Selenium), Debian's chromium and
chromium-driver (``apt-get install chromium chromium-driver``) and a CJK font (``fonts-noto-cjk``).
Nothing is downloaded: Selenium is pointed at /usr/bin/chromedriver.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "data" / "reports" / name for name in
           ("2022-yongle-town.txt", "2016-hualing-county.txt", "2017-keling-district.txt")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not come up")


def browser(profile: str, downloads: str | None = None):
    """Headless Debian chromium driven by Debian's chromedriver (no Selenium Manager download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                 f"--user-data-dir={profile}", "--window-size=1280,1600"):
        options.add_argument(flag)
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                                  "download.prompt_for_download": False})
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*", default=[str(p) for p in SAMPLES])
    parser.add_argument("--output", default=str(ROOT / "docs" / "serve-screenshot.png"))
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "classifier.cli", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(url, server)
        with tempfile.TemporaryDirectory() as tmp:
            driver = browser(tmp + "/profile")
            try:
                from selenium.webdriver.common.by import By
                from selenium.webdriver.support.ui import WebDriverWait

                driver.get(url + "/")
                WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#legend .tag"))
                driver.find_element(By.ID, "files").send_keys("\n".join(str(Path(r).resolve()) for r in args.reports))
                WebDriverWait(driver, 120).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-done"))
                height = driver.execute_script("return Math.min(document.body.scrollHeight, 2400)")
                driver.set_window_size(1280, height)
                out = Path(args.output).resolve()
                out.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(out))
            finally:
                driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"screenshot written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
