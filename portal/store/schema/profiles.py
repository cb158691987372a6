"""Agency profiles: what every package of one agency repeats, kept once (JSON per agency)."""

MIGRATIONS = (
    """CREATE TABLE IF NOT EXISTS agency_profiles (
  agency_id INTEGER PRIMARY KEY REFERENCES agencies(id),
  profile TEXT NOT NULL, updated_at TEXT NOT NULL);
""",
)
