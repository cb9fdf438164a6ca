"""GCN JSON notices: offline schema validation, every real notice converted, made alerts."""

import json

import pytest

from fcspace.core.errors import InputError
from fcspace.svom.alerts import eclairs_r90_deg, to_gcn_json, validate_gcn_json, write_gcn_json
from fcspace.testing.data import shared_file


@pytest.mark.shared_data
def test_schema_examples_validate_with_the_offline_registry(schema_dir):
    examples = sorted(schema_dir.glob("*/*.example.json"))
    assert len(examples) == 5
    for path in examples:
        validate_gcn_json(json.loads(path.read_text()), schema_dir)
    doc = json.loads(examples[0].read_text())
    with pytest.raises(InputError, match="unexpected|Unevaluated|not allowed"):
        validate_gcn_json(doc | {"not_a_field": 1}, schema_dir)
    with pytest.raises(InputError, match="ra"):
        validate_gcn_json(doc | {"ra": "12h"}, schema_dir)
    with pytest.raises(InputError, match="slew_status"):
        validate_gcn_json(doc | {"slew_status": "requested"}, schema_dir)


@pytest.mark.shared_data
def test_every_real_notice_converts_to_valid_gcn_json(real, tmp_path, schema_dir):
    examples = {p.stem: json.loads(p.read_text()) for p in schema_dir.glob("*/*.example.json")}
    for _name, a in real.items():
        doc = to_gcn_json(a)
        validate_gcn_json(doc, schema_dir)
        assert doc["id"] == [a.burst_id] and doc["instrument"] == a.instrument
    wake = to_gcn_json(real["eclairs_296.xml"])
    ref = examples["trigger.wakeup.example"]
    assert set(ref) - {"alert_tense"} <= set(wake)  # same fields as the FSC example
    assert wake["slew_status"] == "not_requested" and wake["image_energy_range"] == [5.0, 20.0]
    grm = to_gcn_json(real["grm_284.xml"])
    assert grm["triggered_GRDs"] == [True, False, True] and "ra" not in grm
    assert to_gcn_json(real["grm_287.xml"])["alert_type"] == "retraction"
    assert to_gcn_json(real["eclairs_300.xml"])["alert_type"] == "update"
    out = write_gcn_json(real["eclairs_296.xml"], tmp_path / "n.json")
    assert json.loads(out.read_text()) == wake


def test_made_alert_gcn_json_is_valid(made):
    doc = to_gcn_json(made())
    assert doc["ra_dec_error"] == pytest.approx(eclairs_r90_deg(12.79))
    schema_dir = shared_file("svom/gcn_schema_svom")
    if schema_dir.is_dir():
        validate_gcn_json(doc, schema_dir)
