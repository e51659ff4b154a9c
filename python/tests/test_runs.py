"""Training in-process, and the run, sweep and comparison files as DataFrames."""

import json
import subprocess

import pytest

import synbench

SHORT = {"training.epochs": 1, "training.images_per_epoch": 200, "training.test_images": 100}


def cards(root):
    return dict(tech=root / "tech/32nm.yaml", device=root / "devices/ag-asi.yaml", network=root / "networks/mlp-400-100-10.yaml")


def test_train_one_epoch_calls_progress_and_loads(tmp_path, root):
    seen = []
    out = synbench.train(**cards(root), out=tmp_path / "run", seed=3, threads=2, set=SHORT, progress=seen.append, report=False)
    assert out == str(tmp_path / "run")
    df = synbench.load_run(out)
    assert len(df) == 1 and df.epoch.tolist() == [1]
    assert [r["epoch"] for r in seen] == [1]
    assert seen[0]["accuracy"] == df.accuracy[0]
    assert seen[0]["epochs"] == 1 and seen[0]["images_per_s"] > 0
    assert df.energy_J[0] == df.cum_energy_J[0]
    assert df.train_images[0] == 200
    s = df.attrs["summary"]
    assert s["complete"] is True and s["final_accuracy"] == df.accuracy[0] and s["seed"] == 3
    # energy_J is the whole bill: the arrays' read + write, the training periphery, leakage.
    parts = df.read_energy_J[0] + df.write_energy_J[0] + df.training_periphery_energy_J[0] + df.leakage_energy_J[0]
    assert df.training_periphery_energy_J[0] > 0
    assert df.energy_J[0] == pytest.approx(parts, rel=1e-12)
    u = df.attrs["units"]
    assert (u["energy_J"], u["read_latency_s"], u["accuracy"]) == ("J", "s", "%")
    assert "ltp_pulses" not in u
    # The manifest's command re-creates the run with the CLI.
    assert df.attrs["manifest"]["command"][:2] == ["synbench", "train"]
    # Same seed, one thread: the same epochs.csv byte for byte.
    out1 = synbench.train(**cards(root), out=tmp_path / "run1", seed=3, threads=1, set=SHORT, report=False)
    assert (tmp_path / "run1/epochs.csv").read_bytes() == (tmp_path / "run/epochs.csv").read_bytes()
    assert out1 == str(tmp_path / "run1")


def test_train_equals_the_cli(tmp_path, root, cli):
    synbench.train(**cards(root), out=tmp_path / "py", seed=5, set=SHORT, report=False)
    args = [cli, "train", "--seed", "5", "--out", str(tmp_path / "cli"), "-q", "--no-report"]
    for k, v in cards(root).items():
        args += [f"--{k}", str(v)]
    for k, v in SHORT.items():
        args += ["--set", f"{k}={v}"]
    subprocess.run(args, check=True, capture_output=True)
    for f in ("epochs.csv", "config.yaml"):
        assert (tmp_path / "py" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes()


def test_progress_returning_false_stops_and_resume_finishes(tmp_path, root):
    three = dict(SHORT, **{"training.epochs": 3})
    out = synbench.train(**cards(root), out=tmp_path / "r", seed=1, set=three, progress=lambda row: False, report=False)
    # Stopped at the next epoch boundary: the epoch in training when the callback ran is finished.
    assert len(synbench.load_run(out)) in (1, 2)
    assert json.loads((tmp_path / "r/manifest.json").read_text())["status"] == "interrupted"
    synbench.train(out=out, resume=True, report=False)
    assert synbench.load_run(out).epoch.tolist() == [1, 2, 3]
    # Bit-identical to the run without interruption.
    synbench.train(**cards(root), out=tmp_path / "whole", seed=1, set=three, report=False)
    assert (tmp_path / "r/epochs.csv").read_bytes() == (tmp_path / "whole/epochs.csv").read_bytes()


def test_progress_exception_propagates(tmp_path, root):
    def boom(row):
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        synbench.train(**cards(root), out=tmp_path / "r", set=SHORT, progress=boom, report=False)
    assert json.loads((tmp_path / "r/manifest.json").read_text())["status"] == "failed"


def test_train_refuses_to_overwrite(tmp_path, root):
    (tmp_path / "r").mkdir()
    (tmp_path / "r/keep.txt").write_text("mine")
    with pytest.raises(OSError, match="not empty"):
        synbench.train(**cards(root), out=tmp_path / "r", set=SHORT, report=False)
    assert (tmp_path / "r/keep.txt").read_text() == "mine"


def test_load_comparison(tmp_path, root, cli):
    runs = [root / "tests/data/runs/ag-asi-s1", root / "tests/data/runs/taox-tio2-s1"]
    subprocess.run([cli, "compare", *map(str, runs), "--out", str(tmp_path / "cmp")], check=True, capture_output=True)
    df = synbench.load_comparison(tmp_path / "cmp")
    assert df.device.tolist() == ["Ag:a-Si", "TaOx/TiO2"] or len(df) == 2
    for run, row in zip(runs, df.itertuples()):
        s = json.loads((run / "summary.json").read_text())
        assert row.energy_J == s["energy_J"]["total"]
        assert row.final_accuracy_pct == s["final_accuracy"]
        assert row.area_m2 == s["total"]["area_m2"]
    u = df.attrs["units"]
    assert (u["energy_J"], u["area_m2"], u["final_accuracy_pct"], u["edp_Js"]) == ("J", "m^2", "%", "J*s")
    assert len(df.attrs["groups"]) == 2


def test_load_sweep(tmp_path, root, cli):
    sweep = tmp_path / "s.yaml"
    sweep.write_text(f"""name: py-test
network: {root}/networks/mlp-400-100-10.yaml
estimate: true
axes:
  device: [{root}/devices/ag-asi.yaml, {root}/devices/taox-tio2.yaml]
  tech: [{root}/tech/32nm.yaml]
""")
    subprocess.run([cli, "sweep", str(sweep), "--out", str(tmp_path / "sw")], check=True, capture_output=True)
    df = synbench.load_sweep(tmp_path / "sw")
    assert len(df) == 2 and set(df.status) == {"complete"}
    est = synbench.estimate(tech=root / "tech/32nm.yaml", device=root / "devices/ag-asi.yaml",
                            network=root / "networks/mlp-400-100-10.yaml")
    row = df[df.device.str.endswith("ag-asi.yaml")].iloc[0]
    assert row.area_m2 == pytest.approx(est["total"]["area_m2"], rel=1e-15)
    assert df.attrs["units"]["area_m2"] == "m^2" and df.attrs["units"]["leakage_W"] == "W"
