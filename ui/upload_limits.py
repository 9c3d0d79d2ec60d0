"""What one browser session may keep uploaded: a few files, a few megabytes.

Streamlit keeps every uploaded file in memory until the browser deletes it or the session
ends, with no bound per session: a client that sends files straight to the upload
endpoint (its own page's XSRF token is all it needs) grows the server by 2 MB a request.
Streamlit 1.67 has no setting for this, so `install()` wraps its in-memory file manager:
after a file is added, the session's oldest files are dropped until it keeps at most
MAX_FILES files and MAX_BYTES bytes (the newest file is always kept). The pages hold at
most two uploads at a time (a data file, a scenario file), so no user meets the bound.

The wrapper is installed when the server starts (ui/serve.py, used by scripts/run.sh) and
again on every page run (app.py, for servers started with plain `streamlit run`); the
reverse proxy in deploy/ bounds the rate of uploads too (README, "Deployment"). A browser
test checks the bound through Streamlit's own upload endpoint.
"""

from __future__ import annotations

MAX_FILES = 4
MAX_BYTES = 6 * 1024 * 1024


def over_budget(files: list[tuple[str, int]], newest: str) -> list[str]:
    """The ids to drop, oldest first, so that `files` ((id, size) oldest first) fits the bound."""
    count, total = len(files), sum(size for _, size in files)
    drop = []
    for file_id, size in files:
        if count <= MAX_FILES and total <= MAX_BYTES:
            break
        if file_id == newest:
            continue
        drop.append(file_id)
        count, total = count - 1, total - size
    return drop


def install() -> None:
    """Bound every session's uploads (idempotent: the wrapper is installed once per process)."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    if getattr(MemoryUploadedFileManager.add_file, "bounded", False):
        return
    unbounded = MemoryUploadedFileManager.add_file

    def add_file(self, session_id, file) -> None:
        unbounded(self, session_id, file)
        # A snapshot of the session's files, oldest first (dicts keep insertion order).
        files = [(rec.file_id, len(rec.data)) for rec in list(self.file_storage.get(session_id, {}).values())]
        for file_id in over_budget(files, file.file_id):
            self.remove_file(session_id, file_id)

    add_file.bounded = True  # type: ignore[attr-defined]
    MemoryUploadedFileManager.add_file = add_file  # type: ignore[method-assign]
