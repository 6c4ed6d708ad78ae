"""The ``vusta`` command line: one program, one way to print results and errors."""
