"""Run the local Mollie server (the one the tests use) for trying payments by hand.

    .venv/bin/python tools/mollie_local.py --port 8765

Then serve Podium with MOLLIE_API_URL=http://127.0.0.1:8765/v2 and
PODIUM_PUBLIC_URL=http://127.0.0.1:8000 (where the webhook goes), and give the house
the key this prints (see the README's API section). Open a payment's checkout_url in a
browser, or add ?status=paid to it, to pay.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from podium.sales.tests.mollie_server import API_KEY, MollieServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--key", default=API_KEY, help="the API key it accepts")
    options = parser.parse_args()
    server = MollieServer(api_keys=(options.key,), port=options.port).start()
    print(f"Local Mollie at {server.url} accepting the key {options.key}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
