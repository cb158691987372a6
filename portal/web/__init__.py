"""The glass wall: Streamlit pages; a citizen's only read the store (see main.py)."""

__all__: list[str] = []  # a face of modules: import them by name
