"""Logs with few errors (issue 10 item 8): over a baseline near zero, 1-5 errors a minute is an
incident, a dip to 3/min inside it is not a recovery, and a recovery is a sustained return to
baseline. Every log here is generated minute by minute; the expected minutes are read off the
error counts written below, by hand."""
from datetime import datetime, timedelta, timezone

from outagetl.logs.claims import RECOVERY_MINUTES, log_claims
from outagetl.sources.registry import read_path

UTC = timezone.utc
T0 = datetime(2024, 3, 5, 16, 0)
INCIDENT = [2, 4, 5, 3, 1, 3, 5, 4, 2, 3, 5, 1, 4, 3, 2, 5, 3, 4, 2, 3]  # minutes 60-79


def write_log(path, errors_per_minute: list[int], lines_per_minute: int = 20):
    """An ISO app log: ``lines_per_minute`` lines each minute, the first n of them errors."""
    with open(path, "w", encoding="utf-8") as fh:
        for minute, errors in enumerate(errors_per_minute):
            for i in range(lines_per_minute):
                t = T0 + timedelta(minutes=minute, seconds=i * 60 / lines_per_minute)
                level = "ERROR" if i < errors else "INFO"
                fh.write(f"{t:%Y-%m-%dT%H:%M:%S}.000Z {level} [api] request {minute * 100 + i} "
                         f"{'failed: upstream timeout' if level == 'ERROR' else 'ok'}\n")
    return path


def quiet(n: int, strays=()) -> list[int]:
    return [1 if i in strays else 0 for i in range(n)]


def burst_claims(tmp_path, counts):
    path = write_log(tmp_path / "api.log", counts)
    claims, skips = log_claims(read_path(path, "api.log")[0])
    return {c.kind: c for c in claims if c.record == -1}, skips


def at(minute: int) -> datetime:
    return (T0 + timedelta(minutes=minute)).replace(tzinfo=UTC)


def test_one_to_five_errors_a_minute_over_a_zero_baseline(tmp_path):
    counts = quiet(60, strays={7, 23, 41}) + INCIDENT + quiet(40, strays={15})
    kinds, _ = burst_claims(tmp_path, counts)
    # Onset: minute 60 (2 errors, the first minute off baseline), not 61 (the first above 3).
    assert kinds["start"].span.best == at(60) and kinds["start"].summary == "errors rose from 0/min to 5/min"
    assert kinds["update"].span.best == at(62) and kinds["update"].summary == "errors peaked at 5/min"
    # The dips to 1-3/min at 63-65 and 68-69 are inside the incident; recovery is minute 80.
    assert kinds["resolved"].span.best == at(80)
    assert kinds["resolved"].summary == "errors back to 0/min (baseline 0/min)"


def test_a_short_lull_is_not_a_recovery(tmp_path):
    # Three quiet minutes (80-82), then 4 and 3 errors (83-84), then quiet for good from 85.
    counts = quiet(60) + INCIDENT + [0, 0, 0, 4, 3] + quiet(35)
    kinds, _ = burst_claims(tmp_path, counts)
    assert kinds["start"].span.best == at(60)
    assert kinds["resolved"].span.best == at(85)
    assert dict(kinds["resolved"].counts)["minutes"] == 25  # minutes 60-84


def test_a_log_that_ends_before_a_sustained_return_claims_no_recovery(tmp_path):
    counts = quiet(60) + INCIDENT + [0, 0, 0]
    kinds, skips = burst_claims(tmp_path, counts)
    assert "resolved" not in kinds and kinds["start"].span.best == at(60)
    assert [s.reason for s in skips if s.what == "error-rate recovery"] == [
        f"errors are back at baseline only for the last 3 minutes of the log: a recovery needs {RECOVERY_MINUTES} in a row"]


def test_a_log_that_ends_in_the_incident_says_so(tmp_path):
    counts = quiet(60) + INCIDENT
    kinds, skips = burst_claims(tmp_path, counts)
    assert "resolved" not in kinds
    assert [s.reason for s in skips if s.what == "error-rate recovery"] == [
        "errors are still above baseline where the log ends"]


def test_stray_single_errors_are_baseline_not_an_incident(tmp_path):
    counts = quiet(120, strays={3, 17, 18, 40, 77, 78, 79, 101})
    kinds, skips = burst_claims(tmp_path, counts)
    assert kinds == {}
    assert [s.reason for s in skips if s.what == "error rate"] == [
        "error rate never above threshold 3 (baseline 0)"]


def test_one_bad_minute_is_not_an_incident(tmp_path):
    counts = quiet(60) + [5] + quiet(60)
    kinds, skips = burst_claims(tmp_path, counts)
    assert kinds == {}
    assert [s.reason for s in skips if s.what == "error rate"] == [
        "only one minute above threshold 3 (baseline 0)"]


def test_a_big_noisy_baseline_keeps_its_recovery_at_the_first_normal_minute(tmp_path):
    """Large counts: 40-44 errors a minute normally, 150-175 in the incident (minutes 30-39); the
    minute after it (42) is normal for this log, so it is the recovery."""
    normal = [40, 42, 41, 44, 43, 40, 42, 41, 43, 44]
    counts = normal * 3 + [150, 160, 175, 170, 155, 165, 172, 158, 161, 152] + [42] + normal * 2
    path = write_log(tmp_path / "api.log", counts, lines_per_minute=200)
    claims, _ = log_claims(read_path(path, "api.log")[0])
    kinds = {c.kind: c for c in claims if c.record == -1}
    assert kinds["start"].span.best == at(30) and kinds["update"].span.best == at(32)
    assert kinds["resolved"].span.best == at(40)
