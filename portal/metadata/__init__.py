"""Published metadata in the shapes others read: CKAN dicts, DCAT-AP, schema.org."""
