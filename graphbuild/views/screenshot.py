"""PNG screenshots of a view, taken in a real headless Chromium through selenium.

Chromium and its driver are found on PATH (Debian: ``chromium`` and ``chromium-driver``) or
through ``GRAPHBUILD_CHROMIUM`` / ``GRAPHBUILD_CHROMEDRIVER``. The browser runs with a fresh
profile and with its own background traffic (updates, sync, safe browsing) switched off,
so that the only requests it makes are the page's own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
)

# Set by the view's script once vis-network has drawn the graph for the first time.
DRAWN_FLAG = "window.graphView && window.graphView.drawn"


class BrowserUnavailable(RuntimeError):
    """Chromium or chromedriver is not installed."""


def _executable(env_name: str, *names: str) -> str:
    configured = os.environ.get(env_name)
    if configured:
        return configured
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserUnavailable(f"none of {', '.join(names)} found on PATH (set {env_name} to point to one)")


@contextmanager
def headless_chromium(width: int = 1400, height: int = 900, log_network: bool = False):
    """A selenium driver for a throw-away headless Chromium; quits and cleans up on exit.

    With ``log_network``, the DevTools performance log (every ``Network.*`` event) and the
    console log are recorded, for ``driver.get_log("performance")`` / ``("browser")``.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = _executable("GRAPHBUILD_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver_path = _executable("GRAPHBUILD_CHROMEDRIVER", "chromedriver")
    profile = tempfile.mkdtemp(prefix="graphbuild-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={profile}")
    if log_network:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_until_drawn(driver, timeout: float = 120.0) -> float:
    """Wait for the view's first complete drawing; returns the seconds waited."""
    started = time.perf_counter()
    while not driver.execute_script(f"return Boolean({DRAWN_FLAG})"):
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"the view was not drawn within {timeout:.0f} s")
        time.sleep(0.05)
    return time.perf_counter() - started


def screenshot(html: str | Path, png: str | Path, width: int = 1400, height: int = 900, timeout: float = 120.0) -> Path:
    """Open the view ``html`` in headless Chromium, wait until it is drawn and settled, save ``png``."""
    html, png = Path(html).resolve(), Path(png)
    if not html.exists():
        raise FileNotFoundError(f"{html}: no such view")
    png.parent.mkdir(parents=True, exist_ok=True)
    with headless_chromium(width, height) as driver:
        driver.get(html.as_uri())
        wait_until_drawn(driver, timeout)
        # the view stops physics once stabilised; wait for that so the picture is the final layout
        deadline = time.perf_counter() + timeout
        while not driver.execute_script("return window.graphView.settled") and time.perf_counter() < deadline:
            time.sleep(0.1)
        driver.execute_script("window.graphView.network.fit({animation: false}); window.graphView.network.redraw();")
        time.sleep(0.2)
        driver.save_screenshot(str(png))
    return png


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Save a PNG screenshot of an HTML graph view.")
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    print(screenshot(args.html, args.png, args.width, args.height))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
