"""The reviewers' page in a real browser: Debian's chromium, driven by Selenium through Debian's chromedriver."""
from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from conftest import SAMPLE, start_server, stop_server

from classifier import load_model

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and DRIVER.exists()),
                                reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server():
    process, url = start_server()  # the bundled model
    yield url
    stop_server(process)


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,1000"):
        options.add_argument(flag)
    (tmp_path / "downloads").mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads"),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.downloads = tmp_path / "downloads"
    yield driver
    driver.quit()


def wait_for_download(folder: Path, name: str, seconds: float = 30) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        path = folder / name
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; the folder has {[p.name for p in folder.iterdir()]}")


def test_upload_the_sample_report_see_every_unit_and_download_the_csv(server, browser):
    browser.get(server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#legend .tag"))
    browser.find_element(By.ID, "files").send_keys(str(SAMPLE))
    WebDriverWait(browser, 120).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-done"))
    assert browser.find_elements(By.CSS_SELECTOR, "#errors li") == []

    expected = load_model().classify_report(SAMPLE)
    shown = browser.find_elements(By.CSS_SELECTOR, "#r0 article .u")
    assert [(int(u.get_attribute("data-index")), u.get_attribute("data-label"), u.text) for u in shown] == [
        (p.index, p.label, p.text) for p in expected]
    names = {"publicity": "法治宣传教育", "enforcement": "行政执法", "business_environment": "营商环境",
             "shortcoming": "存在的不足", "plan": "下一步计划", "other": "其他"}
    for unit, p in zip(shown, expected):
        assert unit.get_attribute("title") == f"{names[p.label]} {p.label} · 置信度 {p.confidence:.2f}"
        assert ("low" in unit.get_attribute("class").split()) == (p.confidence < 0.6)
    checklist = browser.find_elements(By.CSS_SELECTOR, "#r0 .checklist li")
    assert [li.get_attribute("data-part") for li in checklist] == ["measures", "duty", "shortcomings", "plans"]
    assert "工作举措和成效" in checklist[0].text
    rows = browser.find_elements(By.CSS_SELECTOR, "#batch tbody tr")
    assert [r.get_attribute("data-file") for r in rows] == [SAMPLE.name]

    browser.find_element(By.CSS_SELECTOR, "#r0 [data-download=units-csv]").click()
    downloaded = wait_for_download(browser.downloads, f"{SAMPLE.stem}.csv")
    table = list(csv.DictReader(io.StringIO(downloaded.read_text(encoding="utf-8-sig"))))
    assert [(int(r["index"]), r["label"], r["text"], float(r["confidence"])) for r in table] == [
        (p.index, p.label, p.text, p.confidence) for p in expected]


def test_a_batch_table_sorts_and_the_page_fits_and_prints(server, browser, tmp_path):
    reports = [SAMPLE, SAMPLE.parent / "2016-hualing-county.txt", SAMPLE.parent / "2017-keling-district.txt"]
    browser.get(server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#legend .tag"))
    browser.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in reports))
    WebDriverWait(browser, 120).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-done"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.report")) == 3

    def column(key: str) -> list[str]:
        index = [th.get_attribute("data-key") for th in browser.find_elements(By.CSS_SELECTOR, "#batch th")].index(key)
        return [row.find_elements(By.TAG_NAME, "td")[index].text for row in browser.find_elements(By.CSS_SELECTOR, "#batch tbody tr")]

    year = browser.find_element(By.CSS_SELECTOR, "#batch th[data-key=year]")
    year.click()
    assert year.get_attribute("aria-sort") == "ascending" and column("year") == sorted(column("year"))
    year.click()
    assert year.get_attribute("aria-sort") == "descending" and column("year") == sorted(column("year"), reverse=True)
    browser.find_element(By.CSS_SELECTOR, "#batch th[data-key=file]").click()
    assert column("file") == sorted(p.name for p in reports)

    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1280  # no sideways scrolling
    browser.find_element(By.CSS_SELECTOR, "[data-summary=csv]").click()
    summary = wait_for_download(browser.downloads, "summary.csv")
    assert sorted(r["file"] for r in csv.DictReader(io.StringIO(summary.read_text(encoding="utf-8-sig")))) == sorted(
        p.name for p in reports)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.ID, "drop").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "#r0 article .u").is_displayed()


def test_the_api_documentation_renders_from_the_service_alone(server, browser):
    # Swagger UI's script and style come from the installed package; a CDN would leave /docs blank offline
    browser.get(server + "/docs")
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"))
    paths = {e.get_attribute("data-path") for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/v1/classify", "/v1/predict", "/v1/summarize", "/labelstudio/predict"} <= paths
    asked = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert asked and all(name.startswith(server) for name in asked)
