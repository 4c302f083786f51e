"""``outagetl aggregate --engine pandas``: logs → a metrics CSV the metrics reader reads back."""
import csv

from aggregate_helpers import write_logs
from click.testing import CliRunner

from outagetl.cli import main
from outagetl.sources.registry import read_path


def test_pandas_engine_writes_metrics_csv(tmp_path):
    syslog, app = write_logs(tmp_path, 8000)
    out = tmp_path / "metrics.csv"
    result = CliRunner().invoke(main, ["aggregate", str(tmp_path / "*.log"), "--by-file", "--year", "2019",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["minute", "service", "total", "errors"]
    assert {r["service"] for r in rows} == {"edge", "api"}
    assert sum(int(r["total"]) for r in rows) == 16000
    assert any(r["minute"].startswith("2020-01-01T00:") and r["service"] == "edge" for r in rows)
    assert all(r["minute"].endswith("Z") == (r["service"] == "api") for r in rows)
    doc = read_path(out, "metrics.csv")[0]
    assert doc.source.type == "metrics" and doc.series.parsed == len(rows)


def test_year_less_log_needs_a_year(tmp_path):
    syslog, _ = write_logs(tmp_path, 50)
    result = CliRunner().invoke(main, ["aggregate", str(syslog), "-o", str(tmp_path / "m.csv")])
    assert result.exit_code == 2 and "--year" in result.output


def test_mixed_zones_need_by_file(tmp_path):
    syslog, app = write_logs(tmp_path, 50)
    result = CliRunner().invoke(main, ["aggregate", str(syslog), str(app), "--year", "2019",
                                       "-o", str(tmp_path / "m.csv")])
    assert result.exit_code == 2 and "--by-file" in result.output
