"""The app's building blocks: language, the shared store, widgets. Pages live in ui/pages/."""
