"""The glass wall: Streamlit pages that only read the store."""

__all__: list[str] = []  # a face of modules: import them by name
