"""Validation: findings as data, the structural layer and the engine that runs them."""
