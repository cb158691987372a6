"""Read-only SQL over every published table (CKAN's `datastore_search_sql`, the SQL page)."""
