"""Large runs share checks and output formats with a forked worker; results must not change."""

from __future__ import annotations

import json
import os
import sys

import pytest

from resilience import parallel
from resilience.engine.registry import load_catalogue
from resilience.engine.run import run_checks
from resilience.outputs import write as write_module
from resilience.outputs.interface import OutputFormat, RenderContext
from resilience.outputs.write import output_paths, write_report
from resilience.policy import default_policy
from tests.helpers import AS_OF, StageRecorder
from tests.report_fixtures import hostile_estate

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


def _run(monkeypatch, workers: str, include_passes: bool):
    monkeypatch.setenv("RESILIENCE_WORKERS", workers)
    return run_checks(hostile_estate(), default_policy(), load_catalogue(), now=AS_OF,
                      include_passes=include_passes)


@pytest.mark.parametrize("include_passes", [True, False])
def test_checks_split_over_a_worker_give_the_same_report(monkeypatch, include_passes):
    alone = _run(monkeypatch, "1", include_passes)
    shared = _run(monkeypatch, "2", include_passes)
    assert shared.findings == alone.findings
    assert [f.model_dump_json() for f in shared.findings] == [
        f.model_dump_json() for f in alone.findings]
    assert shared.omitted_passes == alone.omitted_passes
    assert shared.omitted_passes_by_tier == alone.omitted_passes_by_tier
    assert shared.omitted_passes_by_service == alone.omitted_passes_by_service
    assert shared.summary == alone.summary


def test_a_worker_that_dies_is_replaced_by_doing_the_work_here():
    parent = os.getpid()

    def there():
        if os.getpid() != parent:
            os._exit(9)  # the worker dies without a word
        return "done here"

    assert parallel.both(lambda: "mine", there) == ("mine", "done here")


def test_a_failing_worker_is_replaced_too():
    parent = os.getpid()

    def there():
        if os.getpid() != parent:
            raise MemoryError
        return 42

    assert parallel.both(lambda: 1, there) == (1, 42)


def test_an_interrupt_here_stops_the_worker(tmp_path):
    marker = tmp_path / "worker-finished"

    def there():
        import time

        time.sleep(1)
        marker.write_text("x")

    def here():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel.both(here, there)
    import time

    time.sleep(1.5)
    assert not marker.exists()


def test_formats_written_by_a_worker_match_formats_written_alone(monkeypatch, tmp_path):
    report = _run(monkeypatch, "1", False)
    context = RenderContext(estate=hostile_estate())
    fmts = [OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.JUNIT]
    written = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("RESILIENCE_WORKERS", workers)
        paths = output_paths(fmts, tmp_path / workers)
        write_report(report, paths, context)
        written[workers] = {p.name: p.read_bytes() for p in paths.values()}
    assert written["1"] == written["2"]
    assert sorted(os.listdir(tmp_path / "2")) == sorted(written["1"])


def test_small_estates_and_the_setting_decide_whether_to_fork(monkeypatch):
    monkeypatch.delenv("RESILIENCE_WORKERS", raising=False)
    assert not parallel.worth_forking(10)
    monkeypatch.setenv("RESILIENCE_WORKERS", "1")
    assert not parallel.worth_forking(10**7)


def _worker_dies_after_two_checks(monkeypatch) -> None:
    parent = os.getpid()
    put = parallel.Spool.put
    sent = []

    def dies_in_worker(self, value):
        if os.getpid() != parent and len(sent) == 2:
            os._exit(3)  # after sending two checks, and having taken a third
        sent.append(value)
        put(self, value)

    monkeypatch.setattr(parallel.Spool, "put", dies_in_worker)


def test_checks_a_dead_worker_had_taken_are_evaluated_here(monkeypatch):
    alone = _run(monkeypatch, "1", False)
    _worker_dies_after_two_checks(monkeypatch)
    shared = _run(monkeypatch, "2", False)
    assert shared.findings == alone.findings
    assert shared.omitted_passes == alone.omitted_passes
    assert shared.omitted_passes_by_tier == alone.omitted_passes_by_tier
    assert shared.omitted_passes_by_service == alone.omitted_passes_by_service
    assert shared.summary == alone.summary


@pytest.mark.parametrize(("workers", "dies"), [("1", False), ("2", False), ("2", True)])
def test_progress_hears_of_each_check_once(monkeypatch, workers, dies):
    """The progress display advances once per check, whichever process ran it."""
    if dies:
        _worker_dies_after_two_checks(monkeypatch)
    monkeypatch.setenv("RESILIENCE_WORKERS", workers)
    done = []
    report = run_checks(hostile_estate(), default_policy(), load_catalogue(), now=AS_OF,
                        include_passes=False, on_check=lambda: done.append(len(done)))
    assert len(done) == len(report.checks) > 20


def test_without_a_temporary_folder_the_checks_run_alone(monkeypatch):
    alone = _run(monkeypatch, "1", False)

    def no_room():
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(parallel.tempfile, "TemporaryFile", no_room)
    shared = _run(monkeypatch, "2", False)
    assert shared.findings == alone.findings
    assert shared.summary == alone.summary


def test_a_spool_hands_over_whole_values_in_order_as_they_arrive():
    spool = parallel.Spool()
    try:
        assert list(spool.take()) == []
        spool.put({"a": 1})
        spool.put([2] * 100_000)
        # half of a third value: not taken until all of it is there
        with open(f"/proc/self/fd/{spool._file.fileno()}", "ab") as raw:
            raw.write(parallel.Spool._HEADER.pack(1000) + b"x" * 10)
        assert list(spool.take()) == [{"a": 1}, [2] * 100_000]
        assert list(spool.take()) == []
    finally:
        spool.close()


def test_a_spool_carries_values_from_the_worker_while_this_process_works():
    spool = parallel.Spool()
    parent = os.getpid()
    taken = []

    def here():
        import time

        for _ in range(200):
            taken.extend(spool.take())
            if len(taken) == 50:
                break
            time.sleep(0.01)

    def there():
        if os.getpid() != parent:
            for n in range(50):
                spool.put(("check", n))

    try:
        parallel.both(here, there)
        taken.extend(spool.take())
    finally:
        spool.close()
    assert taken == [("check", n) for n in range(50)]


def _small_batches_and_appends(monkeypatch) -> list[str]:
    """Batches small enough for a small report to make two parts; the names of the files
    that get a part appended, as they are appended."""
    from resilience.outputs import jsonstream

    monkeypatch.setattr(jsonstream, "BATCH", 3)
    appended: list[str] = []
    real_append = write_module.append_file
    monkeypatch.setattr(write_module, "append_file",
                        lambda whole, part: appended.append(whole.name) or real_append(whole, part))
    return appended


def test_large_formats_are_split_into_parts_that_join_into_the_same_bytes(monkeypatch, tmp_path):
    """With a worker, the SARIF log (the costlier format) is rendered in two parts, one of
    them with the JSON report in the other process, and joined; a worker that dies mid-way
    has its parts rewritten here."""
    appended = _small_batches_and_appends(monkeypatch)
    report = _run(monkeypatch, "1", True)
    context = RenderContext(estate=hostile_estate())
    fmts = [OutputFormat.JSON, OutputFormat.SARIF]
    alone_paths = output_paths(fmts, tmp_path / "alone")
    write_report(report, alone_paths, context)
    assert appended == []
    monkeypatch.setenv("RESILIENCE_WORKERS", "2")
    shared_paths = output_paths(fmts, tmp_path / "shared")
    write_report(report, shared_paths, context)
    assert len(appended) == 1 and ".sarif" in appended[0]  # only the SARIF log's second part
    for fmt in fmts:
        assert shared_paths[fmt].read_bytes() == alone_paths[fmt].read_bytes()
    assert sorted(os.listdir(tmp_path / "shared")) == sorted(os.listdir(tmp_path / "alone"))

    parent = os.getpid()
    real_write = write_module._write

    def dies_in_worker(pieces, *args, **kwargs):
        real_write(pieces, *args, **kwargs)
        if os.getpid() != parent:
            os._exit(5)  # after writing one piece, before saying so

    monkeypatch.setattr(write_module, "_write", dies_in_worker)
    again = output_paths(fmts, tmp_path / "again")
    write_report(report, again, context)
    for fmt in fmts:
        assert again[fmt].read_bytes() == alone_paths[fmt].read_bytes()


def test_a_large_report_to_stdout_alone_or_beside_files(monkeypatch, tmp_path):
    """Formats written to stdout are not shared out: with the worker on, a report that only
    goes to stdout, or to stdout and a file, comes out the same."""
    import io

    report = _run(monkeypatch, "1", True)
    context = RenderContext(estate=hostile_estate())
    alone = io.BytesIO()
    write_report(report, {OutputFormat.JSON: None}, context, stdout=alone)
    monkeypatch.setenv("RESILIENCE_WORKERS", "2")
    for paths in ({OutputFormat.JSON: None},
                  {OutputFormat.JSON: None, OutputFormat.SARIF: tmp_path / "r.sarif"}):
        shared = io.BytesIO()
        write_report(report, paths, context, stdout=shared)
        assert shared.getvalue() == alone.getvalue()
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"


def test_tickets_are_each_taken_exactly_once_across_two_processes():
    tickets = parallel.Tickets(3000)

    def take_all():
        taken = []
        while (number := tickets.take()) is not None:
            taken.append(number)
        return taken

    mine, theirs = parallel.both(take_all, take_all)
    tickets.close()
    assert sorted(mine + theirs) == list(range(3000))


def test_only_a_format_that_can_be_cut_is_cut_and_only_where_it_evens_the_shares():
    json_, sarif, junit, html = (OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.JUNIT,
                                 OutputFormat.HTML)
    [(fmt, (cut,))] = write_module._cuts([json_, sarif]).items()
    assert fmt == sarif and cut == pytest.approx((1 + 2.4) / 2 / 2.4)  # ~71% against the rest
    assert write_module._cuts([json_]) == {json_: (0.5,)}
    assert write_module._cuts([junit]) == {}  # written in one piece
    assert write_module._cuts([json_, sarif, junit]) == {}  # whole pieces balance better
    assert write_module._cuts([sarif, junit]) == {}  # JUnit alone outweighs the SARIF log
    [(fmt, (cut,))] = write_module._cuts([sarif, html]).items()  # HTML cannot be cut
    assert fmt == sarif and cut == pytest.approx((2.4 + 1.5) / 2 / 2.4)



def test_a_shortened_sarif_log_costs_less_and_the_json_report_is_cut_instead():
    from resilience.outputs.interface import RenderContext
    from resilience.outputs.sarif import SarifFormatter
    from tests.report_fixtures import real_report

    report, _ = real_report(include_passes=False)
    problems = sum(f.status != "pass" for f in report.findings)
    sarif = SarifFormatter()
    assert sarif.cost_for(report, RenderContext()) == 2.4
    assert sarif.cost_for(report, RenderContext(sarif_max_results=problems * 2)) == 2.4
    short = sarif.cost_for(report, RenderContext(sarif_max_results=2))
    assert short == pytest.approx(2.4 * 2 / problems)
    json_ = OutputFormat.JSON
    [(fmt, (cut,))] = write_module._cuts([json_, OutputFormat.SARIF], 0.0,
                                         {json_: 1.0, OutputFormat.SARIF: short}).items()
    assert fmt == json_ and cut == pytest.approx((1 + short) / 2)


def test_work_alongside_is_done_here_while_the_worker_writes(monkeypatch, tmp_path):
    """With a worker, what is done alongside (recording the history) runs in this process,
    once, and the files come out as without it; the cut makes room for its cost."""
    report = _run(monkeypatch, "1", True)
    context = RenderContext(estate=hostile_estate())
    fmts = [OutputFormat.JSON, OutputFormat.SARIF]
    alone = output_paths(fmts, tmp_path / "alone")
    write_report(report, alone, context)
    monkeypatch.setenv("RESILIENCE_WORKERS", "2")
    done: list[int] = []
    shared = output_paths(fmts, tmp_path / "shared")
    write_report(report, shared, context,
                 alongside=write_module.Alongside(lambda: done.append(os.getpid()), 0.6))
    assert done == [os.getpid()]
    for fmt in fmts:
        assert shared[fmt].read_bytes() == alone[fmt].read_bytes()
    [(_, (cut,))] = write_module._cuts(fmts, 0.6).items()
    assert cut == pytest.approx((1 + 2.4 + 0.6) / 2 / 2.4)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_work_alongside_that_fails_leaves_no_file_and_no_stdout(monkeypatch, tmp_path, workers):
    import io

    report = _run(monkeypatch, "1", True)
    monkeypatch.setenv("RESILIENCE_WORKERS", workers)
    context = RenderContext(estate=hostile_estate())

    def fails():
        raise RuntimeError("the history database is locked")

    for paths in (output_paths([OutputFormat.JSON, OutputFormat.SARIF], tmp_path / "out"),
                  {OutputFormat.JSON: None, OutputFormat.SARIF: tmp_path / "r.sarif"}):
        out = io.BytesIO()
        with pytest.raises(RuntimeError, match="locked"):
            write_report(report, paths, context, stdout=out,
                         alongside=write_module.Alongside(fails, 0.6))
        assert out.getvalue() == b""
    assert not (tmp_path / "r.sarif").exists()
    assert not (tmp_path / "out").exists() or os.listdir(tmp_path / "out") == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_writing_files_shows_as_a_stage(monkeypatch, tmp_path, workers):
    import io

    report = _run(monkeypatch, "1", True)
    monkeypatch.setenv("RESILIENCE_WORKERS", workers)
    context = RenderContext(estate=hostile_estate())
    shown = StageRecorder()
    write_report(report, output_paths([OutputFormat.JSON, OutputFormat.SARIF], tmp_path),
                 context, progress=shown)
    assert shown.stages == [["writing json, sarif", 2, 2]]
    shown = StageRecorder()
    write_report(report, {OutputFormat.JSON: None}, context, stdout=io.BytesIO(), progress=shown)
    assert shown.stages == []  # stdout only: nothing to show


def test_with_a_shortened_sarif_log_the_json_report_is_the_one_split(monkeypatch, tmp_path):
    appended = _small_batches_and_appends(monkeypatch)
    report = _run(monkeypatch, "1", True)
    context = RenderContext(estate=hostile_estate(), sarif_max_results=2)
    fmts = [OutputFormat.JSON, OutputFormat.SARIF]
    alone_paths = output_paths(fmts, tmp_path / "alone")
    write_report(report, alone_paths, context)
    monkeypatch.setenv("RESILIENCE_WORKERS", "2")
    shared_paths = output_paths(fmts, tmp_path / "shared")
    write_report(report, shared_paths, context)
    assert len(appended) == 1 and ".json" in appended[0]  # the JSON report's second part
    for fmt in fmts:
        assert shared_paths[fmt].read_bytes() == alone_paths[fmt].read_bytes()
    sarif = json.loads(shared_paths[OutputFormat.SARIF].read_text())
    assert len(sarif["runs"][0]["results"]) == 2
