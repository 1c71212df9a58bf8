"""Everything that imports Streamlit: state, sidebar, widgets and the page scripts."""
