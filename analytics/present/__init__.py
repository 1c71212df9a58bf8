"""What pages and reports show: frames and Plotly figures built from store results (no Streamlit)."""
