"""CKAN package search backed by PostgreSQL (a test stand-in for Solr)."""
