"""Importing IATI activity files (the International Aid Transparency Initiative standard,
versions 2.01–2.03): ``python -m ingest iati FILE.xml|DIR``. See :mod:`ingest.iati.importer`."""

from ingest.iati.importer import IatiResult, check_file, import_iati, project_id
from ingest.iati.problems import IatiProblem, InvalidIatiFile

__all__ = ["import_iati", "check_file", "project_id", "IatiResult", "IatiProblem", "InvalidIatiFile"]
