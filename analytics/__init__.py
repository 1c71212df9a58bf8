"""Dasbor IKM–IPK analytics: instruments, import, storage and index computation.

Everything here is importable and testable without Streamlit; pages only read widgets, call this
package and render.
"""
