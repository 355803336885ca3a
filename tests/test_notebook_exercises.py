"""Exercise cells in nbgrader's format, so a teacher can put a notebook into an nbgrader course.

nbgrader (0.9, cell metadata schema 3) reads `cell.metadata["nbgrader"]`: a solution cell
is `{"solution": true, "grade": false, "locked": false, "grade_id": ..., "schema_version": 3}`,
a check (autograded test) cell `{"grade": true, "solution": false, "locked": true, "points": ...}`.
`nbgrader generate_assignment` replaces each `### BEGIN SOLUTION` ... `### END SOLUTION`
region with `raise NotImplementedError()`; `nbgrader autograde` gives a check cell its
points when it runs without an error. Checked here without nbgrader installed (no network
in tests): the schema's rules, and that the student version is still valid Python.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"schema_version", "grade", "locked", "solution", "grade_id", "points", "task"}
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def notebooks_with_exercises() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
        if any("nbgrader" in c["metadata"] for c in json.loads(path.read_text())["cells"])
    ]


def student_version(source: str) -> str:
    """nbgrader's ClearSolutions on one code cell: each solution region becomes the stub,
    indented like its BEGIN line."""
    lines, inside = [], False
    for line in source.split("\n"):
        if "BEGIN SOLUTION" in line:
            assert not inside, "nested BEGIN SOLUTION"
            inside = True
            indent = re.match(r"\s*", line).group(0)
            lines += [indent + stub for stub in STUB.split("\n")]
        elif "END SOLUTION" in line:
            assert inside, "END SOLUTION without BEGIN"
            inside = False
        elif not inside:
            lines.append(line)
    assert not inside, "BEGIN SOLUTION without END"
    return "\n".join(lines)


def test_the_recurrent_notebook_has_exercises():
    assert ROOT / "notebooks" / "13_recurrent_networks.ipynb" in notebooks_with_exercises()


@pytest.mark.parametrize("path", notebooks_with_exercises(), ids=lambda p: p.stem)
def test_exercise_cells_follow_nbgrader_schema_3(path):
    cells = json.loads(path.read_text())["cells"]
    grade_ids, checks_after_solution = [], []
    pending_solution = None
    for cell in cells:
        meta = cell["metadata"].get("nbgrader")
        if meta is None:
            continue
        assert set(meta) <= KEYS, f"keys nbgrader's schema does not allow: {set(meta) - KEYS}"
        assert meta["schema_version"] == 3
        assert all(isinstance(meta[k], bool) for k in ("grade", "locked", "solution"))
        assert re.fullmatch(r"[a-zA-Z0-9_\-]+", meta["grade_id"]), meta["grade_id"]
        grade_ids.append(meta["grade_id"])
        source = "".join(cell["source"])
        assert cell["cell_type"] == "code"  # markdown answers would need grade and solution both
        if meta["solution"]:
            assert (meta["grade"], meta["locked"]) == (False, False), meta["grade_id"]
            assert source.count("### BEGIN SOLUTION") == source.count("### END SOLUTION") == 1
            ast.parse(student_version(source))  # the student's cell is still Python
            pending_solution = meta["grade_id"]
        if meta["grade"]:
            assert (meta["solution"], meta["locked"]) == (False, True), meta["grade_id"]
            assert meta["points"] > 0
            assert "SOLUTION" not in source
            if pending_solution:
                checks_after_solution.append(pending_solution)
                pending_solution = None
        # a check that fails must raise (nbgrader scores a cell that runs as passed)
        if meta["grade"]:
            assert "assert" in source or "raise" in source
    assert len(grade_ids) == len(set(grade_ids)), "grade_id values must be unique"
    solutions = [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in cells
        if c["metadata"].get("nbgrader", {}).get("solution")
    ]
    assert checks_after_solution == solutions, "every solution cell is followed by its check cell"


@pytest.mark.parametrize("path", notebooks_with_exercises(), ids=lambda p: p.stem)
def test_executed_notebook_holds_the_solutions_and_their_checks_pass(path):
    cells = json.loads(path.read_text())["cells"]
    for cell in cells:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            outputs = cell.get("outputs", [])
            assert not any(o["output_type"] == "error" for o in outputs), meta["grade_id"]
            text = "".join("".join(o.get("text", "")) for o in outputs)
            assert text.startswith("Correct!"), f"{meta['grade_id']}: {text[:80]!r}"
