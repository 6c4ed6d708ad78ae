"""VUSTA partner graph — the explorer app: ``streamlit run app.py``.

The pages are declared in ``ui/pages/__init__.py`` and live in ``ui/pages/``; they lay out
widgets and call :mod:`queries` only (no Cypher here).
"""

from ui.app import main

main()
