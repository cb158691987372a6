"""The core store: agencies, tokens, datasets, versions, resources, mirrors, the log."""

MIGRATIONS = (
    """
CREATE TABLE IF NOT EXISTS agencies (
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE,
  title_fa TEXT NOT NULL, title_en TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY, agency_id INTEGER NOT NULL REFERENCES agencies(id),
  token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS datasets (
  id INTEGER PRIMARY KEY, agency_id INTEGER NOT NULL REFERENCES agencies(id),
  slug TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (agency_id, slug));
CREATE TABLE IF NOT EXISTS versions (
  id INTEGER PRIMARY KEY, dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  number INTEGER NOT NULL, title TEXT NOT NULL, manifest_sha256 TEXT NOT NULL,
  descriptor_sha256 TEXT NOT NULL, report_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL, log_seq INTEGER NOT NULL,
  UNIQUE (dataset_id, number));
CREATE TABLE IF NOT EXISTS resources (
  version_id INTEGER NOT NULL REFERENCES versions(id), position INTEGER NOT NULL,
  name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,
  rows INTEGER, mediatype TEXT NOT NULL, PRIMARY KEY (version_id, name));
CREATE TABLE IF NOT EXISTS mirrors (
  agency_id INTEGER PRIMARY KEY REFERENCES agencies(id), source TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log (
  seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, hash TEXT NOT NULL,
  appended INTEGER NOT NULL DEFAULT 0);
""",
)
