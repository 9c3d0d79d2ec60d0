"""Start the app as `streamlit run` does, with the bounds on hostile input in place first.

    .venv/bin/python -m ui.serve run app.py --server.port 8501 ...   (scripts/run.sh does this)

The arguments are `streamlit`'s own.
ui/upload_limits.py and ui/link_limits.py wrap parts of Streamlit that handle requests
before any page runs; installed here, they hold from the server's first request on (app.py
installs them too, for servers started with plain `streamlit run`).
"""

from __future__ import annotations

import sys

from ui import link_limits, upload_limits


def main() -> None:
    upload_limits.install()
    link_limits.install()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
