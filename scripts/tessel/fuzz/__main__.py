"""python -m tessel.fuzz networks --minutes M [--seed S] | --replay S
   python -m tessel.fuzz faults --runs N [--seed S] | --replay S
Exits 1 if anything failed; every failure prints its seed and the command that replays it."""

import argparse
import os
import sys

os.environ.setdefault("TESSEL_PROGRESS", "0")


def main(argv=None) -> int:
    from . import faults, networks
    parser = argparse.ArgumentParser(prog="python -m tessel.fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="campaign", required=True)
    net = sub.add_parser("networks", help="random networks on the RTL against the golden model")
    net.add_argument("--minutes", type=float, default=5.0)
    flt = sub.add_parser("faults", help="faults on the whole top level, then a clean run")
    flt.add_argument("--runs", type=int, default=100)
    for p in (net, flt):
        p.add_argument("--seed", type=int, default=1, help="first network seed")
        p.add_argument("--replay", type=int, metavar="SEED", help="network SEED alone")
    args = parser.parse_args(argv)
    module = networks if args.campaign == "networks" else faults
    if args.replay is not None:
        report = module.replay(args.replay)
    elif args.campaign == "networks":
        report = networks.campaign(args.minutes, args.seed)
    else:
        report = faults.campaign(args.runs, args.seed)
    print("\n".join(report.lines()))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
