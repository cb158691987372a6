"""Citizen feedback and the private contacts kept apart from it."""

MIGRATIONS = (
    """CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY, agency_id INTEGER NOT NULL REFERENCES agencies(id),
  dataset TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL, name TEXT,
  created_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'waiting',
  version INTEGER, resource TEXT, row INTEGER, field TEXT, value TEXT, project TEXT,
  answer TEXT, outcome TEXT, outcome_version INTEGER, answered_at TEXT,
  hidden_reason TEXT, moderated_at TEXT);
CREATE TABLE IF NOT EXISTS feedback_contacts (
  feedback_id INTEGER PRIMARY KEY REFERENCES feedback(id), contact TEXT NOT NULL);
""",
    # Every dataset page and the API list a dataset's items: find them without a full scan.
    """CREATE INDEX IF NOT EXISTS feedback_by_dataset ON feedback (agency_id, dataset, state);
""",
)
