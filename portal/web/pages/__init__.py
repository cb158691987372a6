"""The glass wall's pages; each module has one `render()` that main.py registers."""
