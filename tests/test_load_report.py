"""The load clients' report (molecule/conftest.py's LoadReport) catches what
the zero-downtime tests claim it does: failures of every kind, and a window
in which requests stopped being answered although none failed."""

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "molecule_conftest", Path(__file__).resolve().parents[1] / "molecule" / "conftest.py"
)
molecule_conftest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(molecule_conftest)
LoadReport = molecule_conftest.LoadReport


def report(*requests):
    return LoadReport({"requests": [list(request) for request in requests]})


def steady(start, end, step=0.5, outcome="ok", release="1"):
    count = int((end - start) / step)
    return [(start + index * step, outcome, release) for index in range(count + 1)]


def test_failures_are_counted_by_kind():
    seen = report((1.0, "ok", "1"), (1.1, "HTTP 503", None), (1.2, "bad body: KeyError", None), (1.3, "HTTP 503", None))

    assert seen.failures == {"HTTP 503": 2, "bad body: KeyError": 1}
    assert seen.releases == {"1"}


def test_steady_answers_through_the_window_pass():
    report(*steady(0, 30)).assert_flowing(10, 20)


def test_a_silent_stretch_inside_the_window_fails():
    seen = report(*steady(0, 12), *steady(19, 30))

    with pytest.raises(AssertionError, match="no request was answered for 7.0 s"):
        seen.assert_flowing(10, 20)


def test_failed_requests_do_not_count_as_answered():
    seen = report(*steady(0, 12), *steady(12.5, 19, outcome="connection: ConnectionRefusedError"), *steady(19, 30))

    with pytest.raises(AssertionError, match="no request was answered"):
        seen.assert_flowing(10, 20)


def test_no_answer_before_or_after_the_window_fails():
    with pytest.raises(AssertionError, match="before the window opened"):
        report(*steady(11, 30)).assert_flowing(10, 20)
    with pytest.raises(AssertionError, match="after the window closed"):
        report(*steady(0, 19)).assert_flowing(10, 20)
