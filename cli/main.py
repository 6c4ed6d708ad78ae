"""vusta — the one command line of the VUSTA partner graph.

Every command takes --json and then prints exactly one JSON document to stdout; errors are
printed one way (text on stderr, or a JSON document with "error" and "problems").
`python -m ingest|queries|graph|bench` are aliases of `vusta ingest|query|graph|bench` and run
the same code.

\b
  vusta ingest [PATH ...] [--dry-run]     validate and load curated YAML or spreadsheets (default: data/)
  vusta ingest docs DIR [--apply]         read documents, propose candidates, load reviewed ones
  vusta ingest dedupe [--apply]           find and merge duplicate entities
  vusta ingest iati FILE.xml|DIR [--dry-run] [--valid-only]   load IATI activity files (donor portfolios)
  vusta query stats|search|show|path|experts|partners ...
  vusta graph start|stop|status|export|import|forget|remove-sample ...
  vusta app [--port 8501]                 open the app (Streamlit)
  vusta COMMAND --help                    the options of one command
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent

# name -> (module whose main(argv) runs it, one line of help). Each keeps its own options and
# ``--help``; ``vusta NAME --help`` shows them.
PROGRAMS: dict[str, tuple[str, str]] = {
    "ingest": ("ingest.__main__", "Validate and load curated files and spreadsheets; `docs`, `dedupe`, `iati`."),
    "query": ("queries.__main__", "Ask the graph: stats, search, show, path, experts, partners."),
    "graph": ("graph.__main__", "The store: start, stop, status, export, import, forget, remove-sample."),
    "accounts": ("accounts.cli", "User accounts of the app: add, remove, roles."),
    "bench": ("bench.__main__", "Benchmarks on a store of their own (figures as JSON)."),
    "evaluate": ("ingest.evaluate", "Extraction quality on the held-out gold annotations."),
    "backtest": ("queries.backtest", "Partner finder backtest on past projects."),
    "sample-portfolio": ("ingest.sample_portfolio", "Write (or load) the invented sample project portfolio."),
    "sample-roster": ("ingest.sample_roster", "Write (or load) the invented sample diaspora roster."),
    "screenshots": ("ui.screenshots", "Start the app and save a screenshot of each page."),
}


def run_program(module: str, argv: list[str]) -> int:
    """Run one program's ``main(argv)`` and return its exit code."""
    code = importlib.import_module(module).main(argv)
    return int(code or 0)


def _program(name: str, module: str, summary: str) -> click.Command:
    @click.command(name, help=summary, short_help=summary, add_help_option=False,
                   context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                     "allow_interspersed_args": False})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args: tuple[str, ...]) -> None:
        sys.exit(run_program(module, list(args)))

    return command


@click.group(help=__doc__, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vusta-graph", prog_name="vusta")
def main() -> None:
    pass


for _name, (_module, _summary) in PROGRAMS.items():
    main.add_command(_program(_name, _module, _summary))


@main.command("app", help="Open the app (Streamlit) on http://localhost:PORT.")
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--headless", is_flag=True, help="do not open a browser")
def app(port: int, headless: bool) -> None:
    command = [sys.executable, "-m", "ui.serve", "--server.port", str(port)]
    if headless:
        command += ["--server.headless", "true"]
    sys.exit(subprocess.call(command, cwd=ROOT, env=os.environ.copy()))


if __name__ == "__main__":
    main()
