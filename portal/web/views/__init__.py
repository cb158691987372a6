"""The glass wall's pages (not `pages/`: Streamlit would load that folder by itself)."""
