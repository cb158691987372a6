"""Serving: one portal process or several behind HAProxy, watched and guarded."""
