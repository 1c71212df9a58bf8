"""Dasbor IKM–IPK analytics: instruments, import, storage and index computation.

Everything here is importable and testable without Streamlit; pages only read widgets, call this
package and render.
"""

__version__ = "0.1.0"     # printed in every report's stamp; raise it with each release
