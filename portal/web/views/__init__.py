"""The glass wall's pages (not `pages/`: Streamlit would load that folder by itself)."""

__all__: list[str] = []  # a face of modules: import them by name
