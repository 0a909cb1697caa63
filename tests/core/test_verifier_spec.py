"""The verifier spec validator: normalizes good specs, names the field of every problem."""

import pytest

from oversight.core.verifier_spec import VerifierSpecError, validate_verifier, verifier_problems

GOOD = {"kind": "pytest", "files": {"test_solution.py": "def test_x(): pass\n"}}


def test_a_minimal_spec_gets_its_defaults():
    assert validate_verifier(GOOD) == {**GOOD, "module": "solution", "timeout_s": 10}


@pytest.mark.parametrize(("spec", "message"), [
    ([], "field 'verifier': must be a JSON object"),
    ({**GOOD, "kind": "cargo"}, "field 'verifier.kind': must be one of: pytest, node-test"),
    ({"files": GOOD["files"]}, "field 'verifier.kind': required"),
    ({**GOOD, "module": "my-module"}, "field 'verifier.module': must be a module name"),
    ({**GOOD, "files": {}}, "field 'verifier.files': must be an object"),
    ({**GOOD, "files": {"../etc/passwd": ""}}, "'../etc/passwd' is not a plain relative"),
    ({**GOOD, "files": {"/abs.py": ""}}, "'/abs.py' is not a plain relative"),
    ({**GOOD, "files": {"test_a.py": 3}}, "field 'verifier.files.test_a.py': must be a string"),
    ({**GOOD, "files": {"helper.py": ""}}, "no test file (names like test_*.py or *_test.py)"),
    ({**GOOD, "files": {"solution.py": "", "test_a.py": ""}}, "the document's own file"),
    ({**GOOD, "timeout_s": 0}, "field 'verifier.timeout_s': must be a number of seconds"),
    ({**GOOD, "timeout_s": True}, "field 'verifier.timeout_s'"),
    ({**GOOD, "timeout_s": 61}, "from 1 to 60"),
    ({**GOOD, "extra": 1}, "field 'verifier.extra': unknown field"),
    ({"kind": "node-test", "files": {"a.mjs": ""}}, "names like *.test.mjs"),
])
def test_each_problem_names_its_field(spec, message):
    normalized, errors = verifier_problems(spec)
    assert normalized is None
    assert any(message in error for error in errors), errors
    with pytest.raises(VerifierSpecError):
        validate_verifier(spec)


def test_all_problems_are_reported_at_once():
    _, errors = verifier_problems({"kind": "x", "module": 1, "timeout_s": "9"})
    assert len(errors) == 4
