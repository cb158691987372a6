"""Validation: findings as data, the structural layer and the engine that runs them."""

__all__: list[str] = []  # a face of modules: import them by name
