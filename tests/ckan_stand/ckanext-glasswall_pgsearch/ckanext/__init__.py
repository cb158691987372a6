# A namespace package shared with every other ckanext-* distribution.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
