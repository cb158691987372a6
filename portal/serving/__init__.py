"""Serving: one portal process or several behind HAProxy, watched and guarded."""

__all__: list[str] = []
