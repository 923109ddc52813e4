"""Fuzzing (docs/verification.md): random networks on the RTL against the golden model
(networks.py, random supported models from models.py), faults on the whole top level
(faults.py), and torch modules the front end must refuse by name (frontend.py).

    python -m tessel.fuzz networks --minutes 30 [--seed S] | --replay S
    python -m tessel.fuzz faults --runs 500 [--seed S]
"""
