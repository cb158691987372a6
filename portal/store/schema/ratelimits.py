"""Rate-limit counters, kept in the store so a restart or a second process sees them.

One row per key and window (`limits`' fixed window): the agency's publications, a
client's or a dataset's feedback. Expired rows are deleted as new ones are counted, so the
table holds at most the keys seen within the longest window.
"""

MIGRATIONS = (
    """
CREATE TABLE IF NOT EXISTS rate_limits (
  key TEXT PRIMARY KEY, count INTEGER NOT NULL, expiry REAL NOT NULL);
CREATE INDEX IF NOT EXISTS rate_limits_expiry ON rate_limits (expiry);
""",
)
