"""synbench from Python: device curves, cards, estimates, training, and run/sweep/comparison files
as pandas DataFrames.  See docs/python.md.

The compiled part (``synbench._synbench``) calls the same library functions as the ``synbench``
command line; this file turns what they return into dicts and DataFrames.
"""

import json
import math
import os

import pandas as pd
import yaml

from . import _synbench
from ._synbench import CardError

__version__ = _synbench.__version__
CardError.__module__ = "synbench"  # shown as synbench.CardError in tracebacks

__all__ = [
    "CardError",
    "__version__",
    "device_curve",
    "estimate",
    "load_card",
    "load_comparison",
    "load_run",
    "load_sweep",
    "train",
    "units_of",
    "validate",
]

# Column/key name suffix -> unit (longest suffix first: "_pct_per_J" before "_J").
_SUFFIX_UNITS = [
    ("_pct_per_J", "%/J"),
    ("_per_S", "J/S"),
    ("_pct", "%"),
    ("_m2", "m^2"),
    ("_Js", "J*s"),
    ("_Ohm", "Ohm"),
    ("_J", "J"),
    ("_W", "W"),
    ("_s", "s"),
    ("_S", "S"),
    ("_K", "K"),
    ("_m", "m"),
]
# Columns whose unit is not in their name.
_NAMED_UNITS = {"accuracy": "%", "final_accuracy": "%", "best_accuracy": "%"}


def units_of(columns):
    """Map each column name to its unit, read from the name's suffix (``cum_energy_J`` -> ``J``,
    ``area_m2`` -> ``m^2``); columns without a unit suffix are left out."""
    units = {}
    for c in columns:
        c = str(c)
        if c in _NAMED_UNITS:
            units[c] = _NAMED_UNITS[c]
            continue
        for suffix, unit in _SUFFIX_UNITS:
            if c.endswith(suffix) and len(c) > len(suffix):
                units[c] = unit
                break
    return units


_KIND_DIRS = {"device": "devices", "tech": "tech", "network": "networks"}


def _card_path(card, kind):
    """A card given by path is used as it is; a bare name (``ag-asi``) is looked up like the CLI
    does (docs/install: $SYNBENCH_CARDS, then the installation's share/synbench), then in the
    source tree this package was built from (a development fallback)."""
    if card is None:
        return None
    card = os.fspath(card)
    if os.path.exists(card):
        return card
    found, looked = _synbench.find_card(kind, card)
    if found:
        return found
    try:
        from ._paths import SOURCE_DIR
    except ImportError:
        SOURCE_DIR = None
    tried = []
    if SOURCE_DIR:
        for cand in (os.path.join(SOURCE_DIR, card), os.path.join(SOURCE_DIR, _KIND_DIRS[kind], card + ".yaml")):
            tried.append(cand)
            if os.path.isfile(cand):
                return cand
    raise FileNotFoundError(f"{kind} card '{card}': not a file nor a card name ({looked}"
                            + (f"; then {', '.join(tried)}" if tried else "") + ")")


def _sets(values):
    """{"training.epochs": 2, "device.variation.c2c": "2%"} -> [("training.epochs", "2"), ...];
    values are passed as the CLI's --set text (YAML), so units work: "26 MOhm"."""
    out = []
    for k, v in (values or {}).items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, (list, tuple)):
            v = "[" + ", ".join(str(x) for x in v) + "]"
        out.append((str(k), str(v)))
    return out


def load_card(path):
    """The device card with every default explicit (the ``device:`` part a run writes to
    config.yaml), as a dict. A bad card raises CardError naming file, line and field."""
    return yaml.safe_load(_synbench.card_yaml(_card_path(path, "device")))


def device_curve(card, pulses=None):
    """The card's noise-free curve (no variation, no drift), as ``synbench device curve``:
    a DataFrame with columns direction ("ltp"/"ltd"), pulse, conductance_S — LTP from Gmin
    through ``pulses`` pulses (default: the card's LTP levels), then LTD (default: its LTD
    levels). ``df.attrs`` holds units and the card's name, model, g_min_S and g_max_S."""
    path = _card_path(card, "device")
    if pulses is not None and (int(pulses) != pulses or pulses < 1):
        raise ValueError(f"pulses: expected a positive integer, got {pulses!r}")
    rows = _synbench.device_curve(path, int(pulses or 0))
    df = pd.DataFrame(rows, columns=["direction", "pulse", "conductance_S"])
    df.attrs["units"] = {"conductance_S": "S"}
    df.attrs["card"] = dict(_synbench.device_range(path), path=path)
    return df


def validate(paths):
    """Checks card files like ``synbench validate``: a list of (path, ok, message), the message
    being the kind checked ("device", ...) or the error (file:line:column: field ...)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = []
    for p in paths:
        p = os.fspath(p)
        try:
            out.append((p, True, _synbench.validate_card(p)))
        except (CardError, OSError, ValueError, RuntimeError) as e:
            out.append((p, False, str(e)))
    return out


def estimate(experiment=None, *, tech=None, device=None, network=None, set=None):
    """The circuit macro evaluated once, as ``synbench estimate --json``: a dict with tech,
    device, layers, total, breakdown, per_layer, per_image_read, write_pulse, row_update, warnings
    (units in the key suffixes)."""
    text = _synbench.estimate(
        experiment and os.fspath(experiment),
        _card_path(tech, "tech"),
        _card_path(device, "device"),
        _card_path(network, "network"),
        _sets(set),
    )
    return json.loads(text)


def train(
    experiment=None,
    *,
    tech=None,
    device=None,
    network=None,
    out,
    seed=None,
    threads=0,
    set=None,
    progress=None,
    resume=False,
    force=False,
    data_dir=None,
    report=True,
):
    """Trains in this process (the GIL is released while it runs) and writes the run directory
    ``out``, exactly as ``synbench train`` would; returns its path.

    ``progress(row)`` is called after every epoch's row is written, with a dict (epoch, epochs,
    accuracy in %, images_per_s, eta_s); returning False stops the run at the
    next epoch boundary, like Ctrl-C in the CLI (the epoch already in training is finished; continue
    with ``resume=True``). ``threads=0`` uses all cores; results do not
    depend on it. ``report`` renders report.md/html and tables.tex as the CLI does."""
    out = os.fspath(out)
    r = _synbench.train(
        experiment and os.fspath(experiment),
        _card_path(tech, "tech"),
        _card_path(device, "device"),
        _card_path(network, "network"),
        _sets(set),
        seed,
        out,
        int(threads),
        bool(resume),
        bool(force),
        data_dir and os.fspath(data_dir),
        bool(report),
        progress,
    )
    return r["dir"]


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_run(run_dir):
    """A run directory's epochs.csv as a DataFrame (one row per epoch); ``df.attrs["units"]``
    maps columns to units (from their suffixes), ``df.attrs["summary"]`` is summary.json (when the
    run wrote it) and ``df.attrs["manifest"]`` manifest.json."""
    # round_trip: the files' 17-digit numbers read back to the very doubles the run computed.
    df = pd.read_csv(os.path.join(run_dir, "epochs.csv"), float_precision="round_trip")
    df.attrs["units"] = units_of(df.columns)
    df.attrs["dir"] = os.fspath(run_dir)
    for name in ("summary", "manifest"):
        p = os.path.join(run_dir, name + ".json")
        df.attrs[name] = _read_json(p) if os.path.exists(p) else {}
    return df


def load_sweep(sweep_dir):
    """A sweep directory's sweep.csv (one row per point: axes, results, status, rank, error) as a
    DataFrame with units in ``df.attrs["units"]`` and manifest.json in ``df.attrs["manifest"]``."""
    df = pd.read_csv(os.path.join(sweep_dir, "sweep.csv"), keep_default_na=False, na_values=[""],
                     float_precision="round_trip")
    df.attrs["units"] = units_of(df.columns)
    p = os.path.join(sweep_dir, "manifest.json")
    df.attrs["manifest"] = _read_json(p) if os.path.exists(p) else {}
    return df


def load_comparison(comparison_dir):
    """A comparison's comparison.json as a DataFrame with one row per run (dir, device, tech, seed,
    hardware_enabled, complete, status, epochs, then every metric; missing metrics are NaN).
    ``df.attrs`` holds units, and the groups (mean/sd/n per metric), flags and sentences."""
    j = _read_json(os.path.join(comparison_dir, "comparison.json"))
    rows = []
    for r in j.get("runs", []):
        row = {k: v for k, v in r.items() if k not in ("metrics", "budget")}
        for k, v in (r.get("metrics") or {}).items():
            row[k] = math.nan if v is None else v
        rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs["units"] = units_of(df.columns)
    for k in ("groups", "flags", "sentences", "budget_exceeded"):
        df.attrs[k] = j.get(k)
    return df
