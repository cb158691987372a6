"""Plain HTTP routes served beside the glass wall on the same port."""

__all__: list[str] = []  # a face of modules: import them by name
