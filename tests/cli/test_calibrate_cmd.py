"""``calibrate``: agreement between the scorer and a trainer's labels, with every disagreement listed."""

from __future__ import annotations

import json

import pytest

NAME = "Maria Alvarez"
CRITERIA = ["acknowledge_emotion", "personalize", "respectful_tone"]
# (id, response, labels as a careful trainer would give them)
ANSWERS = [
    ("c1", "Maria, that sounds really frightening. I'm locking your card right now. Can you tell me when?", (1, 1, 1)),
    ("c2", "Calm down, that's not my problem.", (0, 0, 0)),
    ("c3", "I can hear how upset you are, Ms. Alvarez, and that's completely understandable.", (1, 1, 1)),
    ("c4", "What's your account number?", (0, 0, 1)),
    ("c5", "Maria, I'll look into it.", (0, 1, 1)),
    ("c6", "That must be so stressful. I'm sorry this happened to you.", (1, 0, 1)),
    ("c7", "You should have reported it sooner, Maria.", (0, 1, 0)),
    ("c8", "Okay. Sending a new card.", (0, 0, 1)),
]
# Deliberate mistakes in the labels file: (id, criterion).
MISLABELLED = [("c5", "acknowledge_emotion"), ("c5", "personalize"), ("c7", "respectful_tone")]


def labels_file(tmp_path, with_labels: bool = True):
    lines = []
    for item_id, response, truth in ANSWERS:
        record: dict = {"id": item_id, "customer_name": NAME, "response": response}
        if with_labels:
            labels = dict(zip(CRITERIA, truth, strict=True))
            for bad_id, criterion in MISLABELLED:
                if bad_id == item_id:
                    labels[criterion] = 1 - labels[criterion]
            record["labels"] = labels
        lines.append(json.dumps(record))
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def hand_kappa(criterion: str) -> float:
    """Cohen's kappa worked out from first principles: labels (with the mistakes) vs the true verdicts."""
    column = CRITERIA.index(criterion)
    pairs = []
    for item_id, _, truth in ANSWERS:
        actual = truth[column]
        label = 1 - actual if (item_id, criterion) in MISLABELLED else actual
        pairs.append((label, actual))
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    label_yes = sum(a for a, _ in pairs) / n
    scorer_yes = sum(b for _, b in pairs) / n
    expected = label_yes * scorer_yes + (1 - label_yes) * (1 - scorer_yes)
    return (observed - expected) / (1 - expected)


def test_table_and_disagreements(cli, tmp_path):
    result = cli("calibrate", str(labels_file(tmp_path)))
    assert result.code == 0
    lines = result.out_lines
    assert lines[0] == f"{len(ANSWERS)} labelled answers"
    assert lines[2].split() == ["criterion", "n", "agree", "prec", "recall", "kappa"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3 : 3 + len(CRITERIA)]}
    assert sorted(rows) == sorted(CRITERIA)
    for criterion, (n, agree, _prec, _recall, kappa) in rows.items():
        assert int(n) == len(ANSWERS)
        wrong = sum(1 for _, c in MISLABELLED if c == criterion)
        assert float(agree) == pytest.approx((len(ANSWERS) - wrong) / len(ANSWERS), abs=5e-4)
        assert float(kappa) == pytest.approx(hand_kappa(criterion), abs=5e-4)

    assert f"{len(MISLABELLED)} disagreements (showing {len(MISLABELLED)}):" in lines
    listed = [line for line in lines if line.startswith("- ")]
    assert [tuple(line[2:].split(":")[0].split()) for line in listed] == MISLABELLED
    assert "- c5 personalize: expected 0, scored 1 evidence=['Maria']" in lines
    assert "- c5 acknowledge_emotion: expected 1, scored 0" in lines
    assert any(line.startswith("- c7 respectful_tone: expected 1, scored 0 flags=") for line in lines)
    assert "    You should have reported it sooner, Maria." in lines


def test_json_report(cli, tmp_path):
    result = cli("calibrate", "--json", str(labels_file(tmp_path)))
    assert result.code == 0
    report = json.loads(result.out)
    assert report["answers"] == len(ANSWERS)
    rows = {row["criterion"]: row for row in report["criteria"]}
    assert sorted(rows) == sorted(CRITERIA)

    ack = rows["acknowledge_emotion"]
    # Labels 1,0,1,0,1,1,0,0 against verdicts 1,0,1,0,0,1,0,0: tp 3, fp 0, fn 1, tn 4.
    assert (ack["tp"], ack["fp"], ack["fn"], ack["tn"]) == (3, 0, 1, 4)
    # p_o = 7/8; p_e = (4/8)(3/8) + (4/8)(5/8) = 1/2; kappa = (7/8 - 1/2) / (1 - 1/2) = 0.75
    assert ack["kappa"] == pytest.approx(0.75)
    assert ack["kappa"] == pytest.approx(hand_kappa("acknowledge_emotion"), abs=1e-4)
    assert ack["precision"] == pytest.approx(1.0)
    assert ack["recall"] == pytest.approx(0.75)
    for criterion, row in rows.items():
        assert row["n"] == len(ANSWERS)
        assert row["kappa"] == pytest.approx(hand_kappa(criterion), abs=1e-4)

    disagreements = report["disagreements"]
    assert [(d["id"], d["criterion"]) for d in disagreements] == MISLABELLED
    by_key = {(d["id"], d["criterion"]): d for d in disagreements}
    assert by_key["c5", "personalize"]["expected"] == 0
    assert by_key["c5", "personalize"]["scored"] == 1
    assert by_key["c5", "personalize"]["evidence"] == ["Maria"]
    assert by_key["c7", "respectful_tone"]["response"] == "You should have reported it sooner, Maria."


def test_max_disagreements(cli, tmp_path):
    result = cli("calibrate", "--max-disagreements", "1", str(labels_file(tmp_path)))
    assert result.code == 0
    assert f"{len(MISLABELLED)} disagreements (showing 1):" in result.out_lines
    assert len([line for line in result.out_lines if line.startswith("- ")]) == 1


def test_bad_lines_are_reported_but_labelled_lines_still_count(cli, tmp_path):
    path = labels_file(tmp_path)
    path.write_text("not json\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("calibrate", "--json", str(path))
    assert result.code == 0
    assert result.err.startswith("line 1: not valid JSON")
    assert json.loads(result.out)["answers"] == len(ANSWERS)


def test_file_without_labels(cli, tmp_path):
    path = labels_file(tmp_path, with_labels=False)
    result = cli("calibrate", str(path))
    assert result.code == 1
    assert result.out == ""
    assert result.err.strip() == f"{path}: no labelled answers found"


def test_missing_file(cli, tmp_path):
    missing = tmp_path / "none.jsonl"
    result = cli("calibrate", str(missing))
    assert result.code == 1
    assert "cannot open" in result.err
