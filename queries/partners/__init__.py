"""The partner finder: who to approach for a project idea, and who can introduce us.

``recommend_partners(store, idea)`` ranks three kinds of candidates — **donors**, **co-applicants**
(organisations of the VUSTA system with matching experience) and **international partners** —
on six components, each between 0 and 1 and explained in Vietnamese and English. The package:

* :mod:`~queries.partners.weights` — the components' weights (``queries/partner_weights.yaml``);
* :mod:`~queries.partners.features` — candidates, recorded projects, indexes, introduction graph;
* :mod:`~queries.partners.scoring` — the components as numbers and facts (how evidence is weighed);
* :mod:`~queries.partners.explanations` — the reasons in both languages (``{"vi", "en"}``);
* :mod:`~queries.partners.assembly` — ranking, explaining and the answer;
* :mod:`~queries.partners.cli` — ``python -m queries partners``;
* :mod:`~queries.partners.presentation` — pick lists, table rows and map input for the app.

On the default graph every component rests on real, sourced records; demo data (``python -m
ingest demo``) is used only when it was loaded, and then every answer says so.
"""

from queries.partners.assembly import DEFAULT_LIMIT, MAX_LIMIT, ROLE_NAMES, recommend_partners
from queries.partners.cli import add_partner_arguments, partners_command, text_partners
from queries.partners.explanations import THIN_THEME, BilingualJson
from queries.partners.features import (ROLES, VUSTA, Candidate, PartnerFeatures, PastProject, build_features,
                                       partner_features, short_name)
from queries.partners.presentation import (LEAD_CHOICE_KINDS, intro_found, kind_names, region_choices, results_table,
                                           theme_choices)
from queries.partners.scoring import MIN_THEME_FIT, Part, Scorer
from queries.partners.weights import COMPONENTS, WEIGHTS_FILE, PartnerWeights, WeightsError, load_weights
from queries.project_idea import IdeaError, ProjectIdea

__all__ = ["recommend_partners", "load_weights", "PartnerWeights", "WeightsError", "IdeaError", "ProjectIdea",
           "partner_features", "build_features", "Scorer", "Part", "Candidate", "PartnerFeatures", "PastProject",
           "COMPONENTS", "ROLES", "VUSTA", "WEIGHTS_FILE", "MIN_THEME_FIT", "DEFAULT_LIMIT", "MAX_LIMIT",
           "ROLE_NAMES", "THIN_THEME", "BilingualJson", "theme_choices", "region_choices", "LEAD_CHOICE_KINDS",
           "results_table", "intro_found", "kind_names", "short_name", "add_partner_arguments",
           "partners_command", "text_partners"]
