"""The glass wall: Streamlit pages that only read the store."""
