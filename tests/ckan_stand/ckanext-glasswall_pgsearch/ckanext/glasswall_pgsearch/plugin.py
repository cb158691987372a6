"""Replace CKAN's Solr connection by one that keeps documents in PostgreSQL.

CKAN builds its index documents and Solr queries exactly as usual; only the last hop,
`make_connection()`, is swapped, so package_create, package_search, organization pages
and package_show's cache all run CKAN's own code.
"""

from __future__ import annotations

import ckan.lib.search.common as search_common
import ckan.lib.search.index as search_index
import ckan.lib.search.query as search_query
import ckan.plugins as plugins

from ckanext.glasswall_pgsearch.standin import PgSolr


def make_connection(decode_dates: bool = True) -> PgSolr:
    return PgSolr.shared()


class PgSearchPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IConfigurable)

    def configure(self, config):  # type: ignore[no-untyped-def]
        PgSolr.configure(config["sqlalchemy.url"])
        for module in (search_common, search_index, search_query):
            module.make_connection = make_connection
