"""`make run` starts tools/mollie_local.py from an install without the test tools."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_local_mollie_server_loads_without_pytest():
    # `sys.modules["pytest"] = None` makes `import pytest` fail as on a bare install.
    code = (
        "import sys; sys.modules['pytest'] = None; "
        "sys.path.insert(0, '.'); "
        "from podium.sales.tests.mollie_server import API_KEY, MollieServer; "
        "server = MollieServer(api_keys=(API_KEY,)).start(); "
        "print(server.url); server.stop()"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and fixed code)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("http://127.0.0.1:")
