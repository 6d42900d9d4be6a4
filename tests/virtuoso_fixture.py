"""A private Virtuoso for the tests: its own database in a temp folder, ports on 127.0.0.1, the
seed build pushed into it with ``kg push``, shut down at the end of the session."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

DEBIAN_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
MAX_ROWS = 1_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_ini(template: str, folder: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with the database in ``folder``, ports on 127.0.0.1 and result limits
    raised (Virtuoso silently cuts results at 10,000 rows otherwise)."""
    out, section = [], ""
    settings = {
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", "MaxSortedTopRows": str(MAX_ROWS)},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "SPARQL": {"ResultSetMaxRows": str(MAX_ROWS), "MaxQueryExecutionTime": "120"},
    }
    pending = {k: dict(v) for k, v in settings.items()}
    paths = ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file")

    def flush(name: str) -> None:
        for key, value in pending.get(name, {}).items():
            out.append(f"{key} = {value}")
        pending.pop(name, None)

    for line in template.splitlines():
        header = re.match(r"^\s*\[(.+)\]", line)
        if header:
            flush(section)
            section = header.group(1).strip()
            out.append(line)
            continue
        key = re.match(r"^\s*([A-Za-z_]\w*)\s*=\s*(.*?)\s*(;.*)?$", line)
        if key and section in ("Database", "TempDatabase") and key.group(1) in paths:
            out.append(f"{key.group(1)} = {folder / Path(key.group(2)).name}")
            continue
        if key and key.group(1) in pending.get(section, {}):
            out.append(f"{key.group(1)} = {pending[section].pop(key.group(1))}")
            continue
        out.append(line)
    flush(section)
    for name in list(pending):
        out.append(f"[{name}]")
        flush(name)
    return "\n".join(out) + "\n"


class Virtuoso:
    """One ``virtuoso-t +foreground`` process with its own database."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        self.ini = self.folder / "virtuoso.ini"
        self.ini.write_text(private_ini(DEBIAN_INI.read_text(), self.folder, self.sql_port, self.http_port))
        self.endpoint = f"http://127.0.0.1:{self.http_port}/sparql"
        self.log = open(self.folder / "stdout.log", "wb")
        self.process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(self.ini)],
                                        cwd=self.folder, stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def wait_ready(self, limit: float = 90) -> None:
        import requests

        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {(self.folder / 'stdout.log').read_text()[-800:]}")
            try:
                r = requests.get(self.endpoint, params={"query": "ASK {}"}, timeout=2)
                if r.status_code == 200:
                    return
            except requests.exceptions.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"virtuoso did not answer within {limit} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", "exec=shutdown;"],
                               capture_output=True, timeout=30)
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def virtuoso_available() -> str | None:
    """Why Virtuoso tests cannot run here, or None."""
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        return "virtuoso-t / isql-vt not installed (apt-get install virtuoso-opensource)"
    if not DEBIAN_INI.exists():
        return f"{DEBIAN_INI} missing"
    return None


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory, seed_out):
    """A running private Virtuoso holding the seed build (loaded with ``kg push``)."""
    from helpers import run_kg

    reason = virtuoso_available()
    if reason:
        pytest.skip(reason)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.wait_ready()
        pushed = run_kg("push", "--endpoint", server.endpoint, "--data", str(seed_out),
                        "--user", "dba", "--password", "dba", timeout=120)
        assert pushed.returncode == 0, pushed.stderr
        server.push_output = pushed.stdout
        yield server
    finally:
        server.stop()
