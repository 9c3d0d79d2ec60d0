"""Streamlit and Altair pieces shared by the pages: text, formatting, charts, state."""
