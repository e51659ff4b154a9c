"""Cards, device curves, validation and the circuit estimate, checked against the cards' own
numbers and against the command line's output."""

import json
import subprocess

import pytest

import synbench

# devices/ag-asi.yaml: r_on 26 MOhm, on/off 12.5, 97 LTP / 100 LTD levels (Jo 2010 via NeuroSim).
AG_G_MAX = 1 / 26e6          # 1/R_on
AG_G_MIN = 1 / (26e6 * 12.5)  # 1/R_off


def test_version_is_the_cmake_project_version(root):
    text = (root / "CMakeLists.txt").read_text()
    assert f"VERSION {synbench.__version__} " in text or f"VERSION {synbench.__version__})" in text


def test_device_curve_spans_the_cards_range(root):
    df = synbench.device_curve(root / "devices/ag-asi.yaml")
    assert list(df.columns) == ["direction", "pulse", "conductance_S"]
    assert len(df) == (97 + 1) + (100 + 1)
    ltp = df[df.direction == "ltp"].conductance_S.to_numpy()
    ltd = df[df.direction == "ltd"].conductance_S.to_numpy()
    assert ltp[0] == pytest.approx(AG_G_MIN, rel=1e-12)
    assert ltp[-1] == pytest.approx(AG_G_MAX, rel=1e-9)
    assert ltd[0] == pytest.approx(AG_G_MAX, rel=1e-9)
    assert ltd[-1] == pytest.approx(AG_G_MIN, rel=1e-9)
    assert (ltp[1:] > ltp[:-1]).all() and (ltd[1:] < ltd[:-1]).all()
    assert df.attrs["units"]["conductance_S"] == "S"
    assert df.attrs["card"]["g_max_S"] == pytest.approx(AG_G_MAX, rel=1e-12)


def test_device_curve_matches_the_cli_csv(root, cli):
    out = subprocess.run([cli, "device", "curve", "devices/taox-tio2.yaml", "--csv", "--pulses", "10"], cwd=root,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    df = synbench.device_curve(root / "devices/taox-tio2.yaml", pulses=10)
    assert len(df) == len(out) - 1 == 22
    for line, row in zip(out[1:], df.itertuples()):
        phase, pulse, g = line.split(",")
        assert (phase, int(pulse)) == (row.direction, row.pulse)
        assert float(g) == pytest.approx(row.conductance_S, rel=1e-8)  # the CLI prints 9 digits


def test_cards_by_name_from_the_source_tree():
    df = synbench.device_curve("ag-asi", pulses=3)
    assert df.conductance_S.iloc[0] == pytest.approx(AG_G_MIN, rel=1e-12)
    with pytest.raises(FileNotFoundError, match="no-such-device"):
        synbench.device_curve("no-such-device")


def test_cards_by_name_from_synbench_cards(tmp_path, root, monkeypatch):
    (tmp_path / "devices").mkdir()
    text = (root / "devices/ag-asi.yaml").read_text().replace("name: Ag:a-Si", "name: my device")
    (tmp_path / "devices/my-device.yaml").write_text(text)
    monkeypatch.setenv("SYNBENCH_CARDS", str(tmp_path))
    assert synbench.load_card("my-device")["name"] == "my device"
    est = synbench.estimate(tech="32nm", device="my-device", network="mlp-400-100-10")
    assert est["device"] == "my device"


def test_load_card_returns_the_resolved_card(root):
    card = synbench.load_card(root / "devices/ag-asi.yaml")
    assert card["name"] == "Ag:a-Si"
    assert card["model"] == "exponential"
    assert card["ltp"]["levels"] == 97 and card["ltd"]["levels"] == 100


def bad_card(tmp_path, root):
    text = (root / "devices/ag-asi.yaml").read_text().replace("levels: 97", "levels: -97")
    p = tmp_path / "broken-device.yaml"
    p.write_text(text)
    line = text.splitlines().index("  levels: -97") + 1
    return p, line


def test_bad_card_raises_card_error_with_file_and_line(tmp_path, root):
    p, line = bad_card(tmp_path, root)
    with pytest.raises(synbench.CardError) as e:
        synbench.load_card(p)
    assert isinstance(e.value, ValueError)
    assert f"broken-device.yaml:{line}:" in str(e.value)
    assert "ltp.levels" in str(e.value)
    with pytest.raises(synbench.CardError, match="broken-device.yaml"):
        synbench.device_curve(p)


def test_validate_reports_each_file(tmp_path, root):
    p, line = bad_card(tmp_path, root)
    res = synbench.validate([root / "devices/ag-asi.yaml", root / "tech/32nm.yaml", p])
    assert res[0] == (str(root / "devices/ag-asi.yaml"), True, "device")
    assert res[1][1:] == (True, "tech")
    assert res[2][1] is False and f"broken-device.yaml:{line}:" in res[2][2]


CARDS = dict(tech="tech/32nm.yaml", device="devices/ag-asi.yaml", network="networks/mlp-400-100-10.yaml")


def test_estimate_equals_the_cli_json(root, cli, monkeypatch):
    monkeypatch.chdir(root)
    cli_json = json.loads(subprocess.run([cli, "estimate", "--json", "--tech", CARDS["tech"], "--device", CARDS["device"],
                                          "--network", CARDS["network"], "--set", "hardware.adc_bits=6"],
                                         capture_output=True, text=True, check=True).stdout)
    est = synbench.estimate(**CARDS, set={"hardware.adc_bits": 6})
    assert est == cli_json  # every number bit for bit
    assert est["device"] == "Ag:a-Si" and est["layers"] == [400, 100, 10]
    # The total is the sum of its parts.
    parts = est["breakdown"]["children"]
    assert est["total"]["area_m2"] == pytest.approx(sum(c["area_m2"] for c in parts), rel=1e-12)
    # The override took effect: a 6-bit ADC differs from the card's default.
    assert synbench.estimate(**CARDS)["total"]["area_m2"] != est["total"]["area_m2"]


def test_estimate_bad_override_raises_card_error(root):
    with pytest.raises(synbench.CardError, match="adc_bits"):
        synbench.estimate(tech=root / CARDS["tech"], device=root / CARDS["device"], network=root / CARDS["network"],
                          set={"hardware.adc_bits": "many"})
