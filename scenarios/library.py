"""The scenario library: load `scenarios/cases/*.yaml` and explain, in French, what is wrong with a file.

Trainers write these files by hand, so every problem names the file, the field path (with its line
when known) and the reason, instead of a pydantic dump.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from domain.transcript import ACTION_TYPES
from rubrics.loader import load_rubric
from scenarios.models import Scenario, field_path, french_reason

SCENARIOS_DIR = Path(__file__).parent / "cases"


class ValidationProblem(BaseModel):
    """One thing wrong with one scenario file."""

    file: str = Field(description="File name as given to `validate_files`.")
    field: str = Field(description="Dotted field path, e.g. 'hidden_facts[1].reveal_when'; '-' for the file.")
    reason: str = Field(description="French explanation a trainer can act on.")
    line: int | None = Field(default=None, description="1-based line in the file, when known.")

    def __str__(self) -> str:
        where = f"{self.field} (ligne {self.line})" if self.line else self.field
        return f"{self.file}: {where}: {self.reason}"


class ScenarioError(ValueError):
    """The library holds invalid files; the message lists every problem."""

    def __init__(self, problems: list[ValidationProblem]) -> None:
        self.problems = problems
        super().__init__("scénarios invalides :\n" + "\n".join(str(p) for p in problems))


class UnknownScenarioError(LookupError):
    """No scenario has the requested id."""

    def __init__(self, scenario_id: str, known: Iterable[str]) -> None:
        self.scenario_id = scenario_id
        close = difflib.get_close_matches(scenario_id, list(known), n=3, cutoff=0.4)
        hint = f" Vouliez-vous dire : {', '.join(close)} ?" if close else ""
        super().__init__(
            f"Scénario inconnu : « {scenario_id} ».{hint} (`crca scenarios list` les affiche tous.)"
        )

    def __str__(self) -> str:  # LookupError would quote the message like a key
        return str(self.args[0])


def is_criterion_id(value: str) -> bool:
    """True for an id of the rubric's criteria (the rubric is where ids are defined)."""
    return value in {c.id for c in load_rubric().criteria}


def scenario_files(directory: Path = SCENARIOS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load_scenarios(directory: Path = SCENARIOS_DIR) -> dict[str, Scenario]:
    """Every scenario of `directory` by id, sorted by id; raises ScenarioError on a bad file.

    Only the schema, file names and id uniqueness are checked here (cheap, needed at run time);
    references to articles and criteria are checked by `validate_files` and the tests.
    """
    scenarios: dict[str, Scenario] = {}
    problems: list[ValidationProblem] = []
    for path in scenario_files(directory):
        scenario, file_problems = _parse(path)
        problems.extend(file_problems)
        if scenario is not None and scenario.id in scenarios:
            problems.append(ValidationProblem(file=path.name, field="id", reason=_duplicate(scenario.id)))
        elif scenario is not None:
            scenarios[scenario.id] = scenario
    if problems:
        raise ScenarioError(problems)
    return dict(sorted(scenarios.items()))


def load_scenario(scenario_id: str, directory: Path = SCENARIOS_DIR) -> Scenario:
    """The scenario `scenario_id`; UnknownScenarioError lists close ids when it does not exist."""
    path = directory / f"{scenario_id}.yaml"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", scenario_id) or not path.is_file():
        raise UnknownScenarioError(scenario_id, (p.stem for p in scenario_files(directory)))
    scenario, problems = _parse(path)
    if scenario is None or problems:
        raise ScenarioError(problems)
    return scenario


def validate_files(
    paths: Iterable[Path | str], known_articles: set[str] | None = None
) -> list[ValidationProblem]:
    """Every problem of the given files: syntax, schema, references, ids (empty list when all is well).

    `known_articles` defaults to the article ids of `knowledge/conditions`.
    """
    if known_articles is None:
        from knowledge.corpus import article_ids

        known_articles = article_ids()
    problems: list[ValidationProblem] = []
    seen: dict[str, str] = {}
    for raw_path in paths:
        path = Path(raw_path)
        name = str(raw_path)
        if not path.is_file():
            problems.append(ValidationProblem(file=name, field="-", reason="fichier introuvable"))
            continue
        scenario, file_problems = _parse(path, name)
        problems.extend(file_problems)
        if scenario is None:
            continue
        lines = _line_index(path)
        for field, reason in check_references(scenario, known_articles):
            problems.append(ValidationProblem(file=name, field=field, reason=reason, line=lines(field)))
        if scenario.id in seen:
            reason = _duplicate(scenario.id) + f" (déjà dans {seen[scenario.id]})"
            problems.append(ValidationProblem(file=name, field="id", reason=reason, line=lines("id")))
        seen.setdefault(scenario.id, name)
    return problems


def check_references(scenario: Scenario, known_articles: set[str]) -> list[tuple[str, str]]:
    """(field, reason) for each id the scenario cites that does not exist, and each unusable cue."""
    found: list[tuple[str, str]] = []
    for i, article in enumerate(scenario.expected.articles):
        if article not in known_articles:
            found.append((f"expected.articles[{i}]", _unknown_article(article, known_articles)))
    for i, criterion in enumerate(scenario.expected.criteria):
        if not is_criterion_id(criterion):
            ids = [c.id for c in load_rubric().criteria]
            reason = f"critère inconnu « {criterion} » ({ids[0]} à {ids[-1]}, voir la grille)"
            found.append((f"expected.criteria[{i}]", reason))
    for i, action in enumerate(scenario.expected.expected_actions):
        if action not in ACTION_TYPES:
            reason = f"action inconnue « {action} » ({', '.join(ACTION_TYPES)})"
            found.append((f"expected.expected_actions[{i}]", reason))
    fact_ids: set[str] = set()
    for i, fact in enumerate(scenario.hidden_facts):
        if fact.id in fact_ids:
            found.append((f"hidden_facts[{i}].id", f"identifiant de fait en double « {fact.id} »"))
        fact_ids.add(fact.id)
        for j, article in enumerate(fact.articles):
            if article not in known_articles:
                found.append((f"hidden_facts[{i}].articles[{j}]", _unknown_article(article, known_articles)))
        found.extend(_cue_problems(f"hidden_facts[{i}].reveal_when", fact.reveal_when))
    found.extend(_cue_problems("persona.objection_cues", scenario.persona.objection_cues))
    found.extend(_cue_problems("end.client_ends_when", scenario.end.client_ends_when))
    return found


def _cue_problems(field: str, cues: list[str]) -> list[tuple[str, str]]:
    """Cues are matched against the lower-cased advisor turn, so upper case would never match."""
    return [
        (f"{field}[{i}]", f"l'indice « {cue} » doit être en minuscules et non vide")
        for i, cue in enumerate(cues)
        if not cue.strip() or cue != cue.lower()
    ]


def _parse(path: Path, name: str | None = None) -> tuple[Scenario | None, list[ValidationProblem]]:
    """The scenario in `path` (None when unusable) and the problems found on the way."""
    name = name or path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(name, exc)]
    except UnicodeDecodeError:
        return None, [ValidationProblem(file=name, field="-", reason="le fichier n'est pas en UTF-8")]
    if not isinstance(raw, dict):
        reason = "le fichier doit contenir un objet YAML (clé: valeur)"
        return None, [ValidationProblem(file=name, field="-", reason=reason)]
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        lines = _line_index(path)
        problems = []
        for error in exc.errors():
            field = field_path(error["loc"])
            reason = french_reason(error)
            problems.append(ValidationProblem(file=name, field=field, reason=reason, line=lines(field)))
        return None, problems
    if scenario.id != path.stem:
        reason = f"l'identifiant « {scenario.id} » doit être le nom du fichier (« {path.stem} »)"
        line = _line_index(path)("id")
        return scenario, [ValidationProblem(file=name, field="id", reason=reason, line=line)]
    return scenario, []


def _yaml_problem(name: str, exc: yaml.YAMLError) -> ValidationProblem:
    mark = getattr(exc, "problem_mark", None)
    detail = getattr(exc, "problem", None) or str(exc)
    line = mark.line + 1 if mark is not None else None
    column = f", colonne {mark.column + 1}" if mark is not None else ""
    return ValidationProblem(
        file=name, field="-", line=line, reason=f"erreur de syntaxe YAML{column} : {detail}"
    )


def _unknown_article(article: str, known: set[str]) -> str:
    close = difflib.get_close_matches(article, sorted(known), n=2, cutoff=0.6)
    hint = f" ; proches : {', '.join(close)}" if close else ""
    return f"article inconnu « {article} » dans knowledge/conditions{hint}"


def _duplicate(scenario_id: str) -> str:
    return f"identifiant de scénario en double « {scenario_id} »"


def _line_index(path: Path) -> Callable[[str], int | None]:
    """A function giving the 1-based line of a field path in `path`, or None (best effort)."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        root = None

    def line_of(field: str) -> int | None:
        node, line = root, None
        for part in re.findall(r"[^.\[\]]+", field):
            if isinstance(node, yaml.MappingNode):
                match = next(((k, v) for k, v in node.value if k.value == part), None)
                if match is None:
                    return line
                line, node = match[0].start_mark.line + 1, match[1]
            elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
                line = node.start_mark.line + 1
            else:
                return line
        return line

    return line_of
