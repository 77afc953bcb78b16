"""Screenshots for the README's annotation walk-through, taken from a real Label Studio.

    .venv/bin/python docs/take_screenshots.py URL TOKEN PROJECT EMAIL PASSWORD [COMPARE.html [NORM_JSON]]

Drives Debian's headless Chromium through playwright (no browser download): logs in, opens the
project's task list and its first task with the extractor's predictions, selects a span so that
its norm field shows (and types NORM_JSON into it, when given), and saves PNGs under docs/img/.
The README's were taken with NORM_JSON '{"province": "Hà Nội", "province_today": "Hà Nội"}'.
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parent / "img"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


def main(url: str, token: str, project: str, email: str, password: str, compare: str | None = None,
         new_norm: str | None = None) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/user/login/")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{url}/projects/{project}/data")
        page.wait_for_timeout(4000)
        page.screenshot(path=str(IMG / "ls-tasks.png"))
        page.goto(f"{url}/projects/{project}/data?task=" + first_task(url, token, project))
        page.wait_for_timeout(6000)
        regions = page.locator(".htx-highlight")
        if regions.count():
            regions.nth(1 if regions.count() > 1 else 0).click()
            page.wait_for_timeout(1500)
            if new_norm:  # open the selected span's norm for editing and type the correction
                region = page.locator("[data-testid=textarea-regions] [data-testid=textarea-region]").first
                region.scroll_into_view_if_needed()
                region.locator("button").first.click()
                page.locator("[data-testid=textarea-regions] textarea").first.fill(new_norm)
                page.wait_for_timeout(500)
        page.screenshot(path=str(IMG / "ls-norm-field.png"))
        if compare:
            page.set_viewport_size({"width": 1300, "height": 1250})
            page.goto(Path(compare).resolve().as_uri())
            page.screenshot(path=str(IMG / "compare-report.png"))
        browser.close()


def first_task(url: str, token: str, project: str) -> str:
    import json
    import urllib.request

    req = urllib.request.Request(f"{url}/api/tasks?project={project}&page_size=1",
                                 headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(req) as resp:
        return str(json.loads(resp.read())["tasks"][0]["id"])


if __name__ == "__main__":
    main(*sys.argv[1:])
