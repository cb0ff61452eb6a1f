"""The one exception type users see: a clear one-line message, exit status 2."""


class SpcoreError(Exception):
    """Bad input or an impossible request. `spcore` prints `spcore: error: <msg>`."""
