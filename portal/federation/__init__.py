"""Federation with CKAN portals: push the catalog into one, pull packages from one."""
