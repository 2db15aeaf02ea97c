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
