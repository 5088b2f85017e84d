"""The pure parts of benchmarks/spike.py: reading wrk's result line, counting errors,
percentiles and the visibility verdict, the paths readers are sent to."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import spike

RESULT = (
    'SPIKE-RESULT {"requests": 1200, "duration_us": 60000000, "bytes": 5000, '
    '"errors": {"connect": 0, "read": 2, "write": 0, "status": 3, "timeout": 1}, '
    '"status": {"2xx": 1190, "3xx": 7, "4xx": 1, "5xx": 2}, '
    '"latency_us": {"p50": 1500, "p90": 9000, "p99": 40000, "max": 90000, "mean": 3000}}'
)


def test_the_result_line_is_found_among_wrks_own_output():
    output = f"Running 1m test @ http://127.0.0.1:8300/\n  2 threads\n{RESULT}\n"
    result = spike.parse_wrk(output)
    assert result["requests"] == 1200
    assert result["latency_us"]["p99"] == 40000


def test_no_result_line_is_an_error_not_zero_errors():
    with pytest.raises(ValueError):
        spike.parse_wrk("unable to connect to 127.0.0.1:8300 Connection refused\n")


def test_errors_count_4xx_5xx_and_socket_errors_but_not_redirects():
    errors = spike.reader_errors(spike.parse_wrk(RESULT))
    assert errors == {"4xx": 1, "5xx": 2, "connect": 0, "read": 2, "write": 0, "timeout": 1}
    assert sum(errors.values()) == 6


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert spike.percentile(values, 50) == 50
    assert spike.percentile(values, 99) == 99
    assert spike.percentile([3.0, 1.0, 2.0], 99) == 3
    assert spike.percentile([0.4], 50) == 0.4


def test_a_story_never_seen_or_late_fails_the_visibility_target():
    assert spike.visibility_verdict([0.5, 1.9], 2.0)[0]
    ok, line = spike.visibility_verdict([0.5, 2.1], 2.0)
    assert not ok and "over 2 s 1" in line
    ok, line = spike.visibility_verdict([0.5, None], 2.0)
    assert not ok and "never seen 1" in line
    assert not spike.visibility_verdict([], 2.0)[0]


def test_article_links_are_distinct_and_percent_encoded():
    html = (
        '<a href="/local/12/خبر-عاجل/">x</a> <a href="/local/12/خبر-عاجل/">again</a>'
        '<a href="/local/">section</a> <a href="/sport/7/match/#comments">y</a>'
    )
    assert spike.article_paths(html, 10) == [
        "/local/12/%D8%AE%D8%A8%D8%B1-%D8%B9%D8%A7%D8%AC%D9%84/",
    ]
    assert spike.article_paths('<a href="/a/1/x/"></a><a href="/a/2/y/"></a>', 1) == ["/a/1/x/"]


def test_a_third_of_the_readers_ask_for_the_home_page():
    mix = spike.reader_mix([f"/a/{n}/" for n in range(20)])
    assert len(mix) == 30 and mix.count("/") == 10
    assert spike.reader_mix(["/a/1/"]) == ["/a/1/", "/"]
