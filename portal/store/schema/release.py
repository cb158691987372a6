"""Members, roles and the four-eyes policy of an agency, and the drafts waiting for approval.

A member's token is stored as a hash, like the agency's own tokens (which act as admin).
A draft names the sha256 of its document (the version it would publish, every object
named by hash): approval is of that sha256, so a draft changed after review is refused.
"""

MIGRATIONS = (
    """
CREATE TABLE IF NOT EXISTS members (
  id INTEGER PRIMARY KEY, agency_id INTEGER NOT NULL REFERENCES agencies(id),
  name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('preparer', 'approver', 'admin')),
  token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, removed_at TEXT);
CREATE TABLE IF NOT EXISTS agency_policies (
  agency_id INTEGER PRIMARY KEY REFERENCES agencies(id), four_eyes INTEGER NOT NULL,
  changed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS drafts (
  id INTEGER PRIMARY KEY, agency_id INTEGER NOT NULL REFERENCES agencies(id),
  dataset TEXT NOT NULL, sha256 TEXT NOT NULL, prepared_by TEXT NOT NULL,
  prepared_name TEXT NOT NULL, prepared_role TEXT NOT NULL, created_at TEXT NOT NULL,
  status TEXT NOT NULL, decided_by TEXT, decided_name TEXT, decided_role TEXT,
  decided_at TEXT, reason TEXT);
CREATE INDEX IF NOT EXISTS drafts_waiting ON drafts (agency_id, dataset, status);
""",
    """
CREATE TABLE IF NOT EXISTS releases (
  id INTEGER PRIMARY KEY, agency_id INTEGER NOT NULL REFERENCES agencies(id),
  dataset TEXT NOT NULL, title TEXT NOT NULL, version INTEGER NOT NULL,
  planned_at TEXT NOT NULL, first_planned_at TEXT NOT NULL, scheduled_at TEXT NOT NULL,
  commitment TEXT NOT NULL, signed TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'released', 'cancelled')),
  released_at TEXT, late_seconds INTEGER, reasons TEXT NOT NULL DEFAULT '[]',
  draft_id INTEGER REFERENCES drafts(id));
CREATE INDEX IF NOT EXISTS releases_due ON releases (status, planned_at);
CREATE TABLE IF NOT EXISTS withheld_objects (
  sha256 TEXT NOT NULL, release_id INTEGER REFERENCES releases(id),
  draft_id INTEGER REFERENCES drafts(id));
CREATE INDEX IF NOT EXISTS withheld_sha ON withheld_objects (sha256);
CREATE TABLE IF NOT EXISTS prerelease_access (
  id INTEGER PRIMARY KEY, release_id INTEGER REFERENCES releases(id),
  draft_id INTEGER REFERENCES drafts(id), name TEXT NOT NULL, role TEXT NOT NULL,
  at TEXT NOT NULL, what TEXT NOT NULL);
""",
)
