"""Which backups are kept: the newest of each of the last days, weeks and months."""

from datetime import UTC, datetime, timedelta

from jarida.backups.retention import Policy, archive_name, archive_time, prune, to_keep

START = datetime(2026, 1, 1, 3, 15, tzinfo=UTC)


def nightly(days: int, start=START) -> list[datetime]:
    return [start + timedelta(days=n) for n in range(days)]


def test_daily_only_keeps_the_last_n_days():
    times = nightly(30)
    kept = to_keep(times, Policy(daily=7, weekly=0, monthly=0))
    assert sorted(kept) == times[-7:]


def test_two_backups_on_one_day_keep_the_later_one():
    morning = START + timedelta(hours=1)
    evening = START + timedelta(hours=15)
    assert to_keep([morning, evening], Policy(daily=1, weekly=0, monthly=0)) == {evening}


def test_weeks_and_months_keep_the_newest_of_each():
    times = nightly(120)  # 1 January to 30 April 2026
    kept = to_keep(times, Policy(daily=3, weekly=2, monthly=4))
    newest = times[-1]
    days = set(times[-3:])
    weeks = {max(t for t in times if t.isocalendar()[:2] == w) for w in
             sorted({t.isocalendar()[:2] for t in times})[-2:]}  # fmt: skip
    months = {max(t for t in times if t.month == m) for m in (1, 2, 3, 4)}
    assert kept == days | weeks | months | {newest}
    assert len(kept) < len(times)


def test_zero_everywhere_still_keeps_the_newest():
    times = nightly(5)
    assert to_keep(times, Policy(daily=0, weekly=0, monthly=0)) == {times[-1]}


def test_prune_deletes_only_backups_the_policy_drops(tmp_path):
    for at in nightly(10):
        (tmp_path / archive_name(at)).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    (tmp_path / "jarida-20260101T031500Z.tar.partial").write_bytes(b"half")
    removed = prune(tmp_path, Policy(daily=4, weekly=0, monthly=0))
    assert [archive_time(p) for p in removed] == nightly(6)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(
        [archive_name(at) for at in nightly(10)[-4:]]
        + ["notes.txt", "jarida-20260101T031500Z.tar.partial"]
    )


def test_dry_run_deletes_nothing(tmp_path):
    for at in nightly(3):
        (tmp_path / archive_name(at)).write_bytes(b"x")
    assert len(prune(tmp_path, Policy(daily=1, weekly=0, monthly=0), dry_run=True)) == 2
    assert len(list(tmp_path.iterdir())) == 3
