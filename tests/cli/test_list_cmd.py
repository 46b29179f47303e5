"""``list``: the table and the JSON describe every bundled scenario."""

from __future__ import annotations

import json


def test_table_lists_every_bundled_scenario(cli, bundled):
    result = cli("list")
    assert result.code == 0
    assert result.err == ""
    header, *rows = result.out_lines
    assert header.split() == ["ID", "TITLE", "CHANNEL", "DIFFICULTY", "NODES", "ENDINGS"]
    assert [row.split()[0] for row in rows] == sorted(bundled)
    for row in rows:
        data = bundled[row.split()[0]]
        assert data["title"][:40] in row
        fields = row.split()
        assert fields[-4:] == [data["channel"], data["difficulty"], str(len(data["nodes"])), str(len(data["endings"]))]


def test_json_describes_every_bundled_scenario(cli, bundled):
    result = cli("list", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert isinstance(rows, list)
    assert sorted(row["id"] for row in rows) == sorted(bundled)
    for row in rows:
        assert {"id", "title", "channel", "difficulty", "nodes", "endings"} <= set(row)
        data = bundled[row["id"]]
        assert row["title"] == data["title"]
        assert row["channel"] == data["channel"]
        assert row["difficulty"] == data["difficulty"]
        assert row["nodes"] == len(data["nodes"])
        assert row["endings"] == len(data["endings"])
        assert row["minutes"] == data["estimated_minutes"]
        assert row["path"].endswith(f"{row['id']}.yaml")
    assert {row["channel"] for row in rows} >= {"phone", "chat", "email"}


def test_custom_folder_with_a_broken_file(cli, tmp_path, stolen_wallet_text):
    (tmp_path / "wallet.yaml").write_text(stolen_wallet_text, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    result = cli("--scenarios", str(tmp_path), "list", "--json")
    assert result.code == 1
    assert [row["id"] for row in json.loads(result.out)] == ["stolen-wallet"]
    assert result.err.startswith(f"{tmp_path / 'broken.yaml'}:")
