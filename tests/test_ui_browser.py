"""The MLflow UI in a real browser: server on a temporary store, a run, REST, a screenshot.

Marked ``browser``: it needs Chromium (CI installs Debian's ``chromium``).
Without one it is skipped locally, but fails under CI, which must run it.
"""

import os
import struct

import pytest

from tests.conftest import FAST_GRID
from training.ui_check import BrowserMissingError, find_browser, run_ui_check

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    try:
        return find_browser()
    except BrowserMissingError as err:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {err}")
        pytest.skip(str(err))


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", header[16:24])


def test_run_list_renders_in_headless_chromium(browser, tmp_path, tiny_corpus_path):
    messages = []
    result = run_ui_check(
        tmp_path, data=tiny_corpus_path, param_grid=FAST_GRID, progress=messages.append
    )
    assert png_size(result.screenshot) == (1400, 900)
    assert result.screenshot.stat().st_size > 20_000  # a rendered page, not a blank one
    assert result.url.endswith(f"/#/experiments/{result.url.split('/')[-2]}/runs")
    assert result.registered_version == "1"
    assert any("FINISHED" in m for m in messages)
    print(f"screenshot: {result.screenshot}")
