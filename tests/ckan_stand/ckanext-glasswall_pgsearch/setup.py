"""A CKAN plugin for Glass Wall's federation tests: CKAN's package index kept in PostgreSQL.

A TEST STAND-IN: Solr cannot be installed on the machines that run these tests. Production
CKAN keeps Solr and does not load this plugin.
"""

from setuptools import setup

setup(
    name="ckanext-glasswall_pgsearch",
    version="0.1.0",
    packages=["ckanext", "ckanext.glasswall_pgsearch"],
    entry_points={
        "ckan.plugins": ["glasswall_pgsearch = ckanext.glasswall_pgsearch.plugin:PgSearchPlugin"]
    },
)
