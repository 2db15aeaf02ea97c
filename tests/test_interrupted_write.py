"""An interrupted run leaves the previous outputs intact (the process is killed mid-write)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

WRITER = """
import sys, time
from pathlib import Path
from govcloud.outputs import write_atomic

target = Path(sys.argv[1])
payload = ("新" * 1024 * 1024 + "\\n")
# write a large new version in many slow chunks through the same code path
import govcloud.outputs as outputs, os
real_write = os.fdopen
def slow_fdopen(fd, mode):
    handle = real_write(fd, mode)
    original = handle.write
    def write(data):
        for i in range(0, len(data), 65536):
            original(data[i:i + 65536])
            handle.flush()
            time.sleep(0.01)
        return len(data)
    handle.write = write
    return handle
outputs.os.fdopen = slow_fdopen
print("ready", flush=True)
write_atomic(target, payload * 8)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_killed_writer_leaves_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait until the temporary file is being written
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        if temps and temps[0].stat().st_size > 0:
            break
        time.sleep(0.01)
    else:
        proc.kill()
        pytest.fail("the writer never started writing")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'


def _start_writer(tmp_path: Path, target: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait until the temporary file is being written
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        if temps and temps[0].stat().st_size > 0:
            return proc
        time.sleep(0.01)
    proc.kill()
    pytest.fail("the writer never started writing")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signalled_writer_removes_its_temporary_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "plan.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    proc = _start_writer(tmp_path, target)
    os.kill(proc.pid, signum)
    code = proc.wait(timeout=20)
    assert code != 0
    if signum != signal.SIGINT:
        assert code == 128 + signum  # the shell's code for the signal, after cleaning up
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_next_run_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    from govcloud import outputs

    target = tmp_path / "plan.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    proc = _start_writer(tmp_path, target)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    debris = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert debris, "SIGKILL cannot be caught: the temporary file stays until the next run"
    assert f".govcloud-{proc.pid}-" in debris[0].name
    outputs._CLEANED.discard(str(tmp_path))
    outputs.write_atomic(tmp_path / "analysis.json", "{}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.json", "plan.json"]
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'


def test_debris_of_a_live_run_and_other_files_are_left_alone(tmp_path: Path) -> None:
    from govcloud import outputs

    live = tmp_path / f".plan.json.govcloud-{os.getppid()}-abc.tmp"  # our parent is alive
    mine = tmp_path / ".notes.tmp"  # not a name govcloud makes
    legacy_new = tmp_path / ".plan.json.abcd1234.tmp"  # an older version's, too recent to judge
    for path in (live, mine, legacy_new):
        path.write_text("x", encoding="utf-8")
    outputs._CLEANED.discard(str(tmp_path))
    assert outputs.clean_debris(tmp_path) == []
    legacy_old = tmp_path / ".topology.json.zz99yy88.tmp"
    legacy_old.write_text("x", encoding="utf-8")
    os.utime(legacy_old, (time.time() - 2 * outputs.LEGACY_AGE,) * 2)
    outputs._CLEANED.discard(str(tmp_path))
    assert outputs.clean_debris(tmp_path) == [legacy_old]
